// A paused test run (docs/debugger.md): where and why it stopped, and the tester's controls:
// continue, step, run to a widget, and edits of flow.variables.* and widgets.* values.
import { useState } from 'react';
import { parseJson } from '../../live/useDebugger.js';
import WidgetSelect from './WidgetSelect.jsx';

const REASONS = { breakpoint: 'breakpoint', step: 'step', run_to: 'run to here' };

function EditForm({ context, onEdit, disabled }) {
  const [path, setPath] = useState('flow.variables.');
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const variables = Object.keys((context && context.flow && context.flow.variables) || {}).map((k) => `flow.variables.${k}`);
  const widgets = Object.keys((context && context.widgets) || {}).map((k) => `widgets.${k}`);
  const submit = (event) => {
    event.preventDefault();
    if (!/^(flow\.variables\.[^.]+|widgets(\.[^.]+){1,9})$/.test(path)) {
      setError('Edit flow.variables.NAME or widgets.NAME.KEY');
      return;
    }
    const parsed = parseJson(text, 'The value');
    if (parsed.error) {
      setError(parsed.error);
      return;
    }
    setError(null);
    onEdit(path, parsed.value);
  };
  return (
    <form className="dbg-edit" onSubmit={submit} data-testid="debug-edit">
      <input className="dbg-path" value={path} onChange={(e) => setPath(e.target.value)} list="dbg-paths" aria-label="Context path to edit" data-testid="debug-edit-path" />
      <datalist id="dbg-paths">
        {[...variables, ...widgets].map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <span>=</span>
      <input className="dbg-value" value={text} onChange={(e) => setText(e.target.value)} placeholder='JSON, e.g. "yes" or 3' aria-label="New value (JSON)" data-testid="debug-edit-value" />
      <button type="submit" className="cv-button cv-button-small" disabled={disabled} data-testid="debug-edit-set">
        Set
      </button>
      {error ? (
        <div className="dbg-error" role="alert" data-testid="debug-edit-error">
          {error}
        </div>
      ) : null}
    </form>
  );
}

export default function DebuggerBar({ debug, run, states, disabled, onFocus }) {
  const [target, setTarget] = useState('');
  const { paused } = debug;
  if (!paused) return null;
  const context = run && run.execution ? run.execution.context : null;
  return (
    <div className="dbg-bar" role="status" data-testid="debug-paused" data-widget={paused.widget} data-reason={paused.reason}>
      <div>
        <strong>Paused</strong> before{' '}
        <button type="button" className="cv-link" onClick={() => onFocus(paused.widget)}>
          {paused.widget}
        </button>{' '}
        <span className="cv-chip">{REASONS[paused.reason] || paused.reason}</span>
        {paused.condition ? <span className="cv-small cv-muted"> if {paused.condition}</span> : null}
      </div>
      {paused.error ? (
        <div className="dbg-error" data-testid="debug-condition-error">
          The condition counted as true: {paused.error}
        </div>
      ) : null}
      {debug.canControl ? (
        <>
          <div className="cv-row dbg-controls">
            <button type="button" className="cv-button cv-button-small cv-button-primary" onClick={debug.controls.continue} disabled={disabled} data-testid="debug-continue">
              Continue
            </button>
            <button type="button" className="cv-button cv-button-small" onClick={debug.controls.step} disabled={disabled} data-testid="debug-step">
              Step
            </button>
            <WidgetSelect states={states} value={target} onChange={setTarget} placeholder="Run to…" label="Widget to run to" testId="debug-run-to-target" />
            <button type="button" className="cv-button cv-button-small" onClick={() => target && debug.controls.runTo(target)} disabled={disabled || !target} data-testid="debug-run-to">
              Run to
            </button>
          </div>
          <EditForm context={context} onEdit={debug.controls.edit} disabled={disabled} />
        </>
      ) : (
        <p className="cv-small cv-muted">Paused by the debugger of the tester who started it; only they can resume it.</p>
      )}
    </div>
  );
}
