// Canned responses for the flow's Make HTTP Request and Run Function widgets (mocks.set).
// Mocks belong to the flow: every editor's test runs use them, and changes made in another
// tab or by another editor show up here at once. Viewers see them read-only.
import { useState } from 'react';

export const MOCKABLE = new Set(['make-http-request', 'run-function']);
const MAX_BODY = 65536;
const BLANK = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '' };

function validate(status, rows, body) {
  const code = Number(status);
  if (!Number.isInteger(code) || code < 100 || code > 599) return 'The status must be a whole number from 100 to 599.';
  const names = rows.map((r) => r.key.trim()).filter(Boolean);
  if (new Set(names.map((n) => n.toLowerCase())).size !== names.length) return 'Each header may appear once.';
  if (new Blob([body]).size > MAX_BODY) return 'The body is larger than 64 KB.';
  return '';
}

function MockForm({ name, mock, canEdit, onSave }) {
  const start = mock || BLANK;
  const [status, setStatus] = useState(String(start.status));
  const [rows, setRows] = useState(Object.entries(start.headers).map(([key, value]) => ({ key, value })));
  const [body, setBody] = useState(start.body);
  const problem = validate(status, rows, body);
  const change = (i, key) => (e) => setRows(rows.map((r, j) => (j === i ? { ...r, [key]: e.target.value } : r)));
  function save() {
    const headers = Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
    onSave(name, { status: Number(status), headers, body });
  }
  const id = `mock-${name}`;
  return (
    <fieldset className="tp-mock-form" disabled={!canEdit}>
      <label htmlFor={`${id}-status`}>Status</label>
      <input id={`${id}-status`} type="number" min="100" max="599" value={status} onChange={(e) => setStatus(e.target.value)} data-testid={`mock-status-${name}`} />
      <span className="tp-label">Headers</span>
      {rows.map((row, i) => (
        <div className="cv-kv-row" key={i}>
          <input aria-label={`Header ${i + 1} name`} placeholder="Name" value={row.key} onChange={change(i, 'key')} data-testid={`mock-header-key-${name}-${i}`} />
          <input aria-label={`Header ${i + 1} value`} placeholder="Value" value={row.value} onChange={change(i, 'value')} data-testid={`mock-header-value-${name}-${i}`} />
          <button type="button" className="cv-icon-button" aria-label={`Remove header ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="cv-link cv-small" onClick={() => setRows([...rows, { key: '', value: '' }])} data-testid={`mock-header-add-${name}`}>
        Add header
      </button>
      <label htmlFor={`${id}-body`}>Body</label>
      <textarea id={`${id}-body`} rows={6} value={body} onChange={(e) => setBody(e.target.value)} data-testid={`mock-body-${name}`} />
      {problem ? <p className="cv-field-error">{problem}</p> : null}
      {canEdit ? (
        <div className="cv-row">
          <button type="button" className="cv-button cv-button-primary cv-button-small" onClick={save} disabled={Boolean(problem)} data-testid={`mock-save-${name}`}>
            Save mock
          </button>
          {mock ? (
            <button type="button" className="cv-button cv-button-small" onClick={() => onSave(name, null)} data-testid={`mock-remove-${name}`}>
              Remove
            </button>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}

export default function MocksEditor({ states, mocks, canEdit, note, onSave, onFocus }) {
  const widgets = states.filter((s) => MOCKABLE.has(s.type));
  if (!widgets.length) return <p className="cv-muted tp-pad">This flow has no Make HTTP Request or Run Function widget to mock.</p>;
  return (
    <div className="tp-mocks" data-testid="mocks-editor">
      <p className="cv-help">
        Test runs answer these widgets with their mock instead of making the request; a widget without one makes its real request.
        {canEdit ? '' : ' Only editors can change mocks.'}
      </p>
      {note ? (
        <p className="cv-help" role="status" data-testid="mocks-note">
          {note.mine ? 'Mock saved.' : `Mocks changed by ${note.by}.`}
        </p>
      ) : null}
      {widgets.map((state) => {
        const mock = mocks[state.name] || null;
        return (
          <details key={state.name} className="tp-mock" open={Boolean(mock)} data-testid={`mock-${state.name}`}>
            <summary>
              <strong>{state.name}</strong> <span className="cv-muted cv-small">{state.type === 'run-function' ? 'Run Function' : 'Make HTTP Request'}</span>{' '}
              <span className={`cv-chip${mock ? ' tp-mocked' : ''}`} data-testid={`mock-state-${state.name}`}>
                {mock ? `mocked · ${mock.status}` : 'real request'}
              </span>{' '}
              <button
                type="button"
                className="cv-link cv-small"
                onClick={(e) => {
                  e.preventDefault(); // a button in a summary would also open or close it
                  onFocus(state.name);
                }}
              >
                Show
              </button>
            </summary>
            <MockForm key={JSON.stringify(mock)} name={state.name} mock={mock} canEdit={canEdit} onSave={onSave} />
          </details>
        );
      })}
    </div>
  );
}
