// "Save as test case" for a test-panel run (and "Replay on draft", which opens the Tests tab): the server builds the case from the run's
// trigger, inputs, recorded responses and what it did (docs/testcases.md).
import { useState } from 'react';
import { postJson } from '../../api.js';

export default function SaveRunAsCase({ flowSid, execution }) {
  const [note, setNote] = useState(null);
  const [busy, setBusy] = useState(false);
  if (!execution) return null;
  async function save() {
    setBusy(true);
    try {
      const made = await postJson(`/api/editor/flows/${flowSid}/tests/from-execution`, { execution_sid: execution.sid });
      setNote(`Saved as "${made.name}" (Tests tab).`);
    } catch (e) {
      setNote(e.message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <button type="button" className="cv-button cv-button-small" onClick={save} disabled={busy} data-testid="run-save-case" title="Save this run as a test case">
        Save as test case
      </button>
      <a className="cv-link cv-small" href={`?replay=${execution.sid}`} title="Run this execution's inputs and recorded responses against the draft (Tests tab)" data-testid="run-replay">
        Replay on draft
      </a>
      {note ? (
        <span className="cv-small cv-muted" data-testid="run-save-case-note">
          {note}
        </span>
      ) : null}
    </>
  );
}
