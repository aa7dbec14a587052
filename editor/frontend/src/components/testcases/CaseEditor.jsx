// Writing a test case as YAML or JSON (docs/testcases.md); the server validates it and
// its errors, each with where it is, are listed under the text.
import { useState } from 'react';
import { ApiError, postJson } from '../../api.js';

export const TEMPLATE = `name: A new case
trigger:
  type: incomingMessage
  body: Hi
script:
  - message: yes
expect:
  messages:
    - body: {contains: Hi}
  end: {status: ended}
`;

export default function CaseEditor({ url, initial, onSaved, onCancel }) {
  const [text, setText] = useState(initial || TEMPLATE);
  const [errors, setErrors] = useState([]);
  const [busy, setBusy] = useState(false);
  async function save() {
    setBusy(true);
    try {
      onSaved(await postJson(url, { source: text }));
    } catch (e) {
      const details = (e instanceof ApiError && e.body.details) || {};
      setErrors(details.errors || [e.message]);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="tc-editor" data-testid="case-editor">
      <label htmlFor="case-source">The case, as YAML or JSON</label>
      <textarea id="case-source" value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} data-testid="case-source" />
      {errors.length ? (
        <ul className="tc-errors" data-testid="case-errors">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
      <div className="cv-row">
        <button type="button" className="cv-button cv-button-primary" onClick={save} disabled={busy} data-testid="case-save">
          Save case
        </button>
        <button type="button" className="cv-link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
