// The banner of compare mode: the two sides (any revision, published or draft), a legend
// with counts, the flow settings that changed (or, on a flow never published, that there is
// no published side), and the way out (Esc). Opening it puts the keyboard on the first side
// (the Compare button it came from is disabled meanwhile); leaving it, the keyboard goes back
// to the Compare button if it was in the banner.
import { useEffect, useRef } from 'react';
import { STATUS_LABELS, refLabel } from '../../compare/model.js';
import { plural } from '../../text.js';

function SideSelect({ id, label, value, revisions, onChange, selectRef }) {
  return (
    <select id={id} ref={selectRef} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} data-testid={id}>
      <option value="published">Published</option>
      <option value="draft">Draft (working copy)</option>
      {revisions.map((r) => (
        <option key={r.revision} value={String(r.revision)}>
          {refLabel(String(r.revision), revisions)}
        </option>
      ))}
    </select>
  );
}

export default function CompareBar({ compare }) {
  const { refs, data, revisions, choose, exit } = compare;
  const view = data ? data.view : null;
  const first = useRef(null);
  useEffect(() => {
    if (first.current) first.current.focus();
    return () => {
      const here = document.activeElement;
      if (here && here !== document.body) return;
      const back = document.querySelector("[data-testid='compare-open']");
      if (back) back.focus();
    };
  }, []);
  return (
    <div className="cv-banner cv-banner-info cmp-bar" role="region" aria-label="Compare" data-testid="compare-bar">
      <strong>Compare</strong>
      <SideSelect id="compare-from" label="Compare from" selectRef={first} value={refs.from} revisions={revisions} onChange={(v) => choose('from', v)} />
      <span aria-hidden="true">→</span>
      <SideSelect id="compare-to" label="Compare to" value={refs.to} revisions={revisions} onChange={(v) => choose('to', v)} />
      {view && view.missing ? (
        <span className="cmp-missing" data-testid="compare-missing">
          Nothing has been published yet, so there is no published revision to compare with: choose a revision.
        </span>
      ) : view ? (
        <span className="cmp-legend" data-testid="compare-legend">
          {['added', 'removed', 'changed', 'moved', 'renamed'].map((s) =>
            view.counts[s] ? (
              <span key={s} className={`cmp-status cmp-status-${s}`}>
                {view.counts[s]} {STATUS_LABELS[s].toLowerCase()}
              </span>
            ) : null,
          )}
          {view.counts.transitions ? <span className="cmp-status">{plural(view.counts.transitions, 'transition')}</span> : null}
          {view.settings.length ? <span className="cmp-status cmp-status-changed">flow settings</span> : null}
          {view.summary.length ? null : <span data-testid="compare-same">No differences</span>}
        </span>
      ) : (
        <span className="cv-muted">Comparing…</span>
      )}
      <button type="button" className="cv-button" onClick={exit} data-testid="compare-exit" title="Leave compare mode (Esc)">
        Done (Esc)
      </button>
    </div>
  );
}
