// Property changes, one row each: its path, and a word diff for text or before → after.
import WordDiff from './WordDiff.jsx';
import { shownValue } from '../../compare/model.js';

const OP_LABELS = { added: 'added', removed: 'removed', changed: 'changed' };

export default function ChangeList({ changes, prefix }) {
  if (!changes.length) return null;
  return (
    <ul className="cmp-changes" data-testid={`${prefix}-changes`}>
      {changes.map((c) => (
        <li key={c.path} data-testid={`${prefix}-change-${c.path}`}>
          <div className="cmp-path">
            <code>{c.path}</code> <span className="cv-muted cv-small">{OP_LABELS[c.op] || c.op}</span>
          </div>
          {c.words ? (
            <WordDiff words={c.words} testid={`${prefix}-words-${c.path}`} />
          ) : (
            <div className="cmp-words">
              {'before' in c ? <del className="cmp-del">{shownValue(c.before)}</del> : null}
              {'before' in c && 'after' in c ? ' → ' : null}
              {'after' in c ? <ins className="cmp-ins">{shownValue(c.after)}</ins> : null}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
