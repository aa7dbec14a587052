// The Liquid context as a tree (live, or as a chosen step left it). A search filters by
// path or value; choosing a key copies its Liquid expression, e.g.
// {{widgets.http_1.parsed.items[0].name}}.
import { useMemo, useState } from 'react';
import { liquidPath } from '../../liquid.js';
import { copyText } from '../../copyText.js';

const ORDER = ['trigger', 'flow', 'widgets', 'contact'];
const TRIGGERS = ['message', 'call', 'conversation', 'request', 'parent'].map((t) => `trigger.${t}`);
const OPEN_AT_FIRST = [...ORDER, ...TRIGGERS, 'flow.data', 'flow.variables'];

const isBranch = (v) => v !== null && typeof v === 'object' && Object.keys(v).length > 0;
const childrenOf = (value) => (Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value));
function leafText(v) {
  if (Array.isArray(v)) return '[]';
  if (v !== null && typeof v === 'object') return '{}';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Which paths to show for `query`: those matching, with their ancestors. */
function matching(context, query) {
  if (!query) return null;
  const q = query.toLowerCase();
  const shown = new Set();
  const walk = (value, parts) => {
    const path = liquidPath(parts);
    let hit = path.toLowerCase().includes(q) || (!isBranch(value) && leafText(value).toLowerCase().includes(q));
    if (isBranch(value)) for (const [key, child] of childrenOf(value)) hit = walk(child, [...parts, key]) || hit;
    if (hit) shown.add(path);
    return hit;
  };
  for (const [key, value] of Object.entries(context)) walk(value, [key]);
  return shown;
}

function Node({ name, value, parts, open, toggle, shown, onCopy }) {
  const path = liquidPath(parts);
  if (shown && !shown.has(path)) return null;
  const branch = isBranch(value);
  const expanded = branch && (shown ? true : open.has(path));
  return (
    <li className="tp-node" data-path={path}>
      <div className="tp-node-row">
        {branch ? (
          <button type="button" className="tp-twisty" onClick={() => toggle(path)} aria-expanded={expanded} aria-label={`${expanded ? 'Collapse' : 'Expand'} ${path}`}>
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="tp-twisty" />
        )}
        <button type="button" className="tp-ckey" onClick={() => onCopy(path)} title={`Copy {{${path}}}`} data-testid={`context-key-${path}`}>
          {typeof name === 'number' ? `[${name}]` : name}
        </button>
        {branch ? (
          <span className="cv-muted cv-small">{Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`}</span>
        ) : (
          <span className={`tp-leaf tp-leaf-${value === null ? 'null' : typeof value}`}>{leafText(value)}</span>
        )}
      </div>
      {expanded ? (
        <ul>
          {childrenOf(value).map(([key, child]) => (
            <Node key={key} name={key} value={child} parts={[...parts, key]} open={open} toggle={toggle} shown={shown} onCopy={onCopy} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

export default function ContextInspector({ context, title, onBackToLive }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(() => new Set(OPEN_AT_FIRST));
  const [copied, setCopied] = useState(null);
  const shown = useMemo(() => (context ? matching(context, query.trim()) : null), [context, query]);
  const toggle = (path) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });
  async function onCopy(path) {
    const text = `{{${path}}}`;
    try {
      await copyText(text);
      setCopied({ text, ok: true });
    } catch (error) {
      setCopied({ text, ok: false });
    }
  }
  const keys = context ? [...ORDER.filter((k) => k in context), ...Object.keys(context).filter((k) => !ORDER.includes(k))] : [];
  return (
    <div className="tp-context" data-testid="context-inspector">
      <div className="tp-context-head">
        <strong>{title}</strong>
        {onBackToLive ? (
          <button type="button" className="cv-link" onClick={onBackToLive} data-testid="context-live">
            Back to the live context
          </button>
        ) : null}
      </div>
      <input type="search" aria-label="Search the context" placeholder="Search paths and values…" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="context-search" />
      <p className="cv-help" role="status" data-testid="context-copied">
        {copied ? (copied.ok ? `Copied ${copied.text}` : `Copy refused by the browser: ${copied.text}`) : 'Choose a key to copy its Liquid path.'}
      </p>
      {!context ? <p className="cv-muted">Loading the context…</p> : null}
      {context && shown && !shown.size ? <p className="cv-muted">Nothing matches “{query}”.</p> : null}
      {context ? (
        <ul className="tp-tree" aria-label="Context">
          {keys.map((key) => (
            <Node key={key} name={key} value={context[key]} parts={[key]} open={open} toggle={toggle} shown={shown} onCopy={onCopy} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}
