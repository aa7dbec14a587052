// The side panels: publish, revisions, import/export, settings, details.
import { useEffect, useState } from 'react';
import { ApiError, getJson, postJson } from '../api.js';

function problemList(problems) {
  return (
    <ul className="cv-problems" data-testid="panel-problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.message} <code className="cv-path">{p.property_path}</code>
        </li>
      ))}
    </ul>
  );
}

const problemsOf = (error) => (error instanceof ApiError && error.body.details && error.body.details.errors) || [];

export function PublishPanel({ urls, save, onDone }) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function publish() {
    setBusy(true);
    try {
      onDone(await postJson(urls.publish, { commit_message: message }), 'Published.');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="cv-panel-body" data-testid="publish-panel">
      <label htmlFor="commit-message">Commit message</label>
      <input id="commit-message" value={message} onChange={(e) => setMessage(e.target.value)} data-testid="commit-message" />
      <button type="button" className="cv-button cv-button-primary" onClick={publish} disabled={busy || save.state !== 'saved'} data-testid="publish">
        Publish
      </button>
      {save.state !== 'saved' ? <p className="cv-muted">Waiting for your edits to be saved…</p> : null}
      {error ? (
        <div className="cv-error" data-testid="publish-error">
          <p>{error.message}</p>
          {problemList(problemsOf(error))}
        </div>
      ) : null}
    </div>
  );
}

export function RevisionsPanel({ urls, meta, onView, onRestore }) {
  const [revisions, setRevisions] = useState(null);
  useEffect(() => {
    getJson(urls.revisions).then((r) => setRevisions(r.revisions));
  }, [urls, meta.revision, meta.version]);
  if (!revisions) return <div className="cv-panel-body cv-muted">Loading…</div>;
  return (
    <div className="cv-panel-body" data-testid="revisions-panel">
      <ul className="cv-revisions">
        {revisions.map((r) => (
          <li key={r.revision} data-testid={`revision-${r.revision}`}>
            <div>
              <strong>Revision {r.revision}</strong> <span className={`badge badge-${r.status}`}>{r.status}</span>
              {r.valid ? null : <span className="badge badge-invalid">invalid</span>}
            </div>
            <div className="cv-muted cv-small">
              {r.commit_message || '—'} · {r.author || 'unknown'} · {new Date(r.date_created).toLocaleString()}
            </div>
            <div className="cv-row">
              <button type="button" className="cv-link" onClick={() => onView(r.revision)} data-testid={`revision-view-${r.revision}`}>
                Open
              </button>
              {meta.can_edit ? (
                <button type="button" className="cv-link" onClick={() => onRestore(r.revision)} data-testid={`revision-restore-${r.revision}`}>
                  Restore as draft
                </button>
              ) : null}
              <a className="cv-link" href={`${meta.export_url}?revision=${r.revision}`} download>
                Export
              </a>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ImportExportPanel({ urls, meta, save, onImported, notify }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  async function send(allow) {
    try {
      onImported(await postJson(urls.import, { definition: text, base_version: meta.version, allow_problems: allow }), 'Imported.');
      setError(null);
      setText('');
    } catch (e) {
      setError(e);
    }
  }
  async function upload(file) {
    if (file) setText(await file.text());
  }
  async function copy() {
    const response = await fetch(meta.export_url, { credentials: 'same-origin' });
    await navigator.clipboard.writeText(await response.text());
    notify('The export is on the clipboard.');
  }
  const problems = problemsOf(error);
  const blocking = problems.some((p) => p.blocking);
  return (
    <div className="cv-panel-body" data-testid="io-panel">
      <h4>Export</h4>
      <div className="cv-row">
        <a className="cv-button" href={meta.export_url} download data-testid="export-download">
          Download JSON
        </a>
        <button type="button" className="cv-button" onClick={copy} data-testid="export-copy">
          Copy to clipboard
        </button>
      </div>
      {meta.can_edit ? (
        <>
          <h4>Import</h4>
          <p className="cv-help">Replaces the draft with Studio flow JSON (a new revision; older ones stay).</p>
          <textarea rows={8} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste Studio JSON" data-testid="import-text" />
          <input type="file" accept=".json,application/json" onChange={(e) => upload(e.target.files[0])} data-testid="import-file" />
          <button type="button" className="cv-button cv-button-primary" onClick={() => send(false)} disabled={!text.trim() || save.state !== 'saved'} data-testid="import-submit">
            Import
          </button>
          {error ? (
            <div className="cv-error" data-testid="import-error">
              <p>{error.message}</p>
              {problemList(problems)}
              {problems.length && !blocking ? (
                <button type="button" className="cv-button" onClick={() => send(true)} data-testid="import-anyway">
                  Import anyway as an invalid draft
                </button>
              ) : null}
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

export function SettingsPanel({ urls, meta, doc, edit, onSaved, notify }) {
  const [name, setName] = useState(meta.friendly_name);
  const [users, setUsers] = useState((meta.test_users || []).join('\n'));
  const [description, setDescription] = useState(doc.description || '');
  const disabled = !meta.can_edit;
  async function saveSettings() {
    try {
      const list = users.split(/[\n,]/).map((u) => u.trim()).filter(Boolean);
      onSaved(await postJson(urls.settings, { friendly_name: name, test_users: list }));
      if (description !== (doc.description || '')) edit([{ op: 'update_flow', description }]);
      notify('Settings saved.');
    } catch (e) {
      notify(e.message, 'error');
    }
  }
  const concurrent = Boolean(doc.flags && doc.flags.allow_concurrent_calls);
  return (
    <fieldset className="cv-panel-body" disabled={disabled} data-testid="settings-panel">
      <label htmlFor="flow-name">Name</label>
      <input id="flow-name" value={name} onChange={(e) => setName(e.target.value)} data-testid="settings-name" />
      <label htmlFor="flow-description">Description</label>
      <textarea id="flow-description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} data-testid="settings-description" />
      <label className="cv-check">
        <input
          type="checkbox"
          checked={concurrent}
          onChange={(e) => edit([{ op: 'update_flow', allow_concurrent_calls: e.target.checked }])}
          data-testid="settings-concurrent"
        />{' '}
        Allow concurrent calls
      </label>
      <label htmlFor="test-users">Test users (one address a line)</label>
      <textarea id="test-users" rows={3} value={users} onChange={(e) => setUsers(e.target.value)} data-testid="settings-test-users" />
      <button type="button" className="cv-button cv-button-primary" onClick={saveSettings} data-testid="settings-save">
        Save settings
      </button>
    </fieldset>
  );
}
