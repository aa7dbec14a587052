// The test panel's Debug tab (docs/debugger.md): the tester's breakpoints (each with an
// optional Liquid condition) and "start anywhere": a test that begins at any widget with a
// seeded context.
import { useEffect, useState } from 'react';
import { parseJson } from '../../live/useDebugger.js';
import WidgetSelect from './WidgetSelect.jsx';

const TRIGGERS = [
  ['message', 'Incoming message'],
  ['call', 'Incoming call'],
  ['conversation', 'Conversation message'],
  ['request', 'REST API'],
  ['parent', 'Subflow parent'],
];
const SEED_EXAMPLE = '{\n  "flow": {"data": {}, "variables": {}},\n  "widgets": {},\n  "trigger": {}\n}';

function BreakpointRow({ widget, condition, exists, debug, onFocus }) {
  const [text, setText] = useState(condition);
  useEffect(() => {
    setText(condition);
  }, [condition]);
  const save = () => text !== condition && debug.setBreakpoint(widget, text);
  return (
    <li className="dbg-bp-row" data-testid={`debug-bp-${widget}`}>
      <span className="dbg-dot is-set" aria-hidden="true" />
      <button type="button" className="cv-link" onClick={() => onFocus(widget)} disabled={!exists}>
        {widget}
      </button>
      {exists ? null : <span className="cv-small cv-muted">not on the canvas</span>}
      <input
        className="dbg-condition"
        value={text}
        placeholder="always (or a Liquid condition)"
        aria-label={`Condition of the breakpoint on ${widget}`}
        data-testid={`debug-bp-condition-${widget}`}
        onChange={(e) => setText(e.target.value)}
        onBlur={save}
        onKeyDown={(e) => e.key === 'Enter' && save()}
      />
      <button type="button" className="cv-icon-button" onClick={() => debug.removeBreakpoint(widget)} aria-label={`Remove the breakpoint on ${widget}`}>
        ×
      </button>
    </li>
  );
}

function StartAnywhere({ debug, states, onStart, disabled }) {
  const [trigger, setTrigger] = useState('message');
  const [body, setBody] = useState('Hi');
  const [seed, setSeed] = useState('');
  const [error, setError] = useState(null);
  const widget = debug.startAt || '';
  const submit = (event) => {
    event.preventDefault();
    if (!widget) {
      setError('Choose the widget to start at');
      return;
    }
    const params = { trigger, at: widget };
    if (['message', 'conversation'].includes(trigger)) params.body = body;
    if (seed.trim()) {
      const parsed = parseJson(seed, 'The seed');
      if (parsed.error) return setError(parsed.error);
      if (!parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
        return setError('The seed is a JSON object: {"flow": {"data", "variables"}, "widgets", "trigger"}');
      }
      params.seed = parsed.value;
    }
    setError(null);
    onStart(params);
  };
  return (
    <form className="dbg-start" onSubmit={submit} data-testid="debug-start">
      <h3>Start anywhere</h3>
      <div className="cv-row">
        <WidgetSelect states={states} value={widget} onChange={(name) => debug.setStartAt(name || null)} placeholder="Start at…" label="Widget to start at" testId="debug-start-widget" />
        <select value={trigger} onChange={(e) => setTrigger(e.target.value)} aria-label="Trigger" data-testid="debug-start-trigger">
          {TRIGGERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {['message', 'conversation'].includes(trigger) ? (
        <input value={body} onChange={(e) => setBody(e.target.value)} aria-label="First message" placeholder="First message" />
      ) : null}
      <textarea
        className="dbg-seed"
        rows={6}
        value={seed}
        onChange={(e) => setSeed(e.target.value)}
        placeholder={SEED_EXAMPLE}
        aria-label="Seed context (JSON)"
        data-testid="debug-start-seed"
      />
      {error ? (
        <div className="dbg-error" role="alert" data-testid="debug-start-error">
          {error}
        </div>
      ) : null}
      <button type="submit" className="cv-button cv-button-small cv-button-primary" disabled={disabled} data-testid="debug-start-run">
        Start test here
      </button>
    </form>
  );
}

export default function DebuggerPanel({ debug, states, onFocus, onStart, disabled }) {
  const [adding, setAdding] = useState('');
  const names = new Set(states.map((s) => s.name));
  const rows = [...debug.breakpoints.entries()];
  return (
    <div className="dbg-panel tp-pad" data-testid="debug-panel">
      {debug.note && debug.note.error ? (
        <div className="dbg-error" role="alert" data-testid="debug-note">
          {debug.note.error}{' '}
          <button type="button" className="cv-link cv-small" onClick={debug.dismissNote}>
            Dismiss
          </button>
        </div>
      ) : null}
      <h3>Breakpoints</h3>
      <p className="cv-small cv-muted">Your own test runs stop before these widgets. Right-click a widget, or click the dot on its corner.</p>
      {rows.length ? (
        <ul className="dbg-bps" data-testid="debug-breakpoints">
          {rows.map(([widget, condition]) => (
            <BreakpointRow key={widget} widget={widget} condition={condition} exists={names.has(widget)} debug={debug} onFocus={onFocus} />
          ))}
        </ul>
      ) : (
        <p className="cv-muted cv-small">No breakpoints yet.</p>
      )}
      <div className="cv-row">
        <select value={adding} onChange={(e) => setAdding(e.target.value)} aria-label="Widget to stop at" data-testid="debug-add-widget">
          <option value="">Add a breakpoint…</option>
          {states
            .filter((s) => s.type !== 'trigger' && !debug.breakpoints.has(s.name))
            .map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
        </select>
        <button type="button" className="cv-button cv-button-small" disabled={!adding} onClick={() => adding && (debug.setBreakpoint(adding), setAdding(''))}>
          Add
        </button>
      </div>
      <StartAnywhere debug={debug} states={states} onStart={onStart} disabled={disabled} />
    </div>
  );
}
