// Export the draft; import Studio JSON over it. The size is checked before uploading, and
// "Import anyway" is offered only when the server says no problem blocks keeping the flow
// as an invalid draft.
import { useState } from 'react';
import { ApiError, postJson } from '../api.js';
import { locateProblems } from '../problems.js';
import { megabytes, plural, utf8Length } from '../text.js';
import { copyText } from '../copyText.js';
import { ProblemList } from './ProblemsPanel.jsx';

const SMALLER = 'Remove widgets it does not need, or move parts of it into subflows (Run Subflow), then import it again.';

function tooLarge(what, bytes, limit) {
  return { message: `${what} is ${megabytes(bytes)}; flows can be at most ${megabytes(limit)}. ${SMALLER}`, problems: [] };
}

/** The server's refusal, its problems located on the states of the JSON being imported. */
function refusal(error, text, catalogue) {
  if (!(error instanceof ApiError)) return { message: error.message, problems: [] };
  const details = error.body.details || {};
  // Each problem's `hint` says it in plain words (jsontext.py words whole-text refusals).
  const problems = [...(details.errors || []), ...(details.warnings || [])];
  let states = [];
  try {
    const parsed = JSON.parse(text);
    if (parsed && Array.isArray(parsed.states)) states = parsed.states;
  } catch (e) {
    states = [];
  }
  let message = error.message;
  if (error.status === 413) message = `${error.message} ${SMALLER}`;
  else if (problems.length) message = `Nothing was imported: the flow has ${plural(problems.length, 'problem')}.`;
  return {
    message,
    problems: locateProblems(problems, states, catalogue),
    stale: error.status === 409,
  };
}

function ImportForm({ urls, meta, save, catalogue, onImported, onReload }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const limit = meta.max_definition_bytes; // editor/flowspec/jsontext.py MAX_BYTES
  async function send(allow) {
    const size = utf8Length(text);
    if (size > limit) return setError(tooLarge('The pasted JSON', size, limit));
    try {
      onImported(await postJson(urls.import, { definition: text, base_version: meta.version, allow_problems: allow }), 'Imported.');
      setError(null);
      setText('');
    } catch (e) {
      setError(refusal(e, text, catalogue));
    }
  }
  async function upload(input) {
    const file = input.files[0];
    if (!file) return;
    if (file.size > limit) {
      input.value = '';
      return setError(tooLarge('The file', file.size, limit));
    }
    setError(null);
    setText(await file.text());
  }
  const blocking = error ? error.problems.some((p) => p.blocking) : false;
  return (
    <>
      <h3 className="cv-subhead">Import</h3>
      <p className="cv-help">Replaces the draft with Studio flow JSON (a new revision; older ones stay).</p>
      <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste Studio JSON" aria-label="Studio flow JSON to import" data-testid="import-text" />
      <input type="file" accept=".json,application/json" aria-label="Import from a Studio JSON file" onChange={(e) => upload(e.target)} data-testid="import-file" />
      <button type="button" className="cv-button cv-button-primary" onClick={() => send(false)} disabled={!text.trim() || save.state !== 'saved'} data-testid="import-submit">
        Import
      </button>
      {error ? (
        <div className="cv-error" data-testid="import-error">
          <p>{error.message}</p>
          <ProblemList problems={error.problems} testid="panel-problems" />
          {error.problems.length && !blocking ? (
            <button type="button" className="cv-button" onClick={() => send(true)} data-testid="import-anyway">
              Import anyway as an invalid draft
            </button>
          ) : null}
          {blocking ? <p className="cv-help" data-testid="import-blocked">Fix these in the JSON, then import it again.</p> : null}
          {error.stale ? (
            <button type="button" className="cv-button" onClick={onReload} data-testid="import-reload">
              Reload the flow
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

export default function ImportExportPanel({ urls, meta, save, catalogue, onImported, onReload, notify }) {
  async function copy() {
    try {
      const response = await fetch(meta.export_url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`export answered ${response.status}`);
      await copyText(await response.text());
      notify('The export is on the clipboard.');
    } catch (error) {
      notify('Could not copy the export; use Download JSON instead.', 'error');
    }
  }
  return (
    <div className="cv-panel-body" data-testid="io-panel">
      <h3 className="cv-subhead">Export</h3>
      <div className="cv-row">
        <a className="cv-button" href={meta.export_url} download data-testid="export-download">
          Download JSON
        </a>
        <button type="button" className="cv-button" onClick={copy} data-testid="export-copy">
          Copy to clipboard
        </button>
      </div>
      {meta.can_edit ? <ImportForm {...{ urls, meta, save, catalogue, onImported, onReload }} /> : null}
    </div>
  );
}
