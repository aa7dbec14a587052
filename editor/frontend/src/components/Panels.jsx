// The side panels: publish, revisions, settings (import/export is ImportExportPanel.jsx).
import { useEffect, useState } from 'react';
import { ApiError, getJson, postJson } from '../api.js';
import { agree, plural } from '../text.js';
import { ProblemList } from './ProblemsPanel.jsx';
import PublishLint, { usePublishLint } from './PublishLint.jsx';
import PublishChanges from './compare/PublishChanges.jsx';
import RevisionTags from './compare/RevisionTags.jsx';

const problemsOf = (error) => {
  const details = (error instanceof ApiError && error.body.details) || {};
  return [...(details.errors || []), ...(details.warnings || [])];
};

/** Errors block publishing (the server refuses them); warnings never do. */
function PublishReadiness({ counts, onShowProblems }) {
  if (counts.errors) {
    return (
      <p className="cv-error" data-testid="publish-blocked">
        Fix {counts.errors === 1 ? 'the error' : `the ${counts.errors} errors`} before publishing.{' '}
        <button type="button" className="cv-link" onClick={onShowProblems}>
          Show problems
        </button>
      </p>
    );
  }
  if (counts.warnings) {
    return (
      <p className="cv-help" data-testid="publish-warnings">
        {plural(counts.warnings, 'warning')} to look at; {agree(counts.warnings, 'it does', 'they do')} not block publishing.
      </p>
    );
  }
  return null;
}

export function PublishPanel({ urls, save, meta, counts, locate, onShowProblems, onCompare, onDone, lintUrl, states, catalogue, version }) {
  const [message, setMessage] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const lint = usePublishLint(lintUrl, save.state === 'saved', version, states, catalogue);
  // New linter errors: publishing takes a second, explicit "Publish anyway".
  const lintErrors = lint.findings.some((f) => f.severity === 'error');
  const [confirming, setConfirming] = useState(false);
  async function publish() {
    if (lintErrors && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    try {
      const response = await postJson(urls.publish, { commit_message: message });
      const added = (response.lint && response.lint.new_since_published) || [];
      if (response.revision_created === false) onDone(response, 'Nothing changed since the published revision: no new revision.');
      else onDone(response, added.length ? `Published, with ${plural(added.length, 'new linter finding')}.` : 'Published.');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="cv-panel-body" data-testid="publish-panel">
      <PublishChanges urls={urls} version={meta ? meta.version : 0} onCompare={onCompare} />
      <label htmlFor="commit-message">Commit message</label>
      <input id="commit-message" value={message} onChange={(e) => setMessage(e.target.value)} data-testid="commit-message" />
      <PublishReadiness counts={counts} onShowProblems={onShowProblems} />
      <PublishLint lint={lint} />
      {/* Kept in sight at the foot of the panel however long the lists above are. */}
      <div className="cv-publish-actions" data-testid="publish-actions">
        {confirming ? (
          <p className="cv-error" data-testid="publish-confirm">
            Publish with the linter's errors above? Contacts reach the published revision at once.
          </p>
        ) : null}
        <button
          type="button"
          className={`cv-button ${confirming ? 'cv-button-danger' : 'cv-button-primary'}`}
          onClick={publish}
          disabled={busy || save.state !== 'saved' || counts.errors > 0 || lint.state === 'loading'}
          data-testid={confirming ? 'publish-anyway' : 'publish'}
        >
          {confirming ? 'Publish anyway' : 'Publish'}
        </button>
        {confirming ? (
          <button type="button" className="cv-button" onClick={() => setConfirming(false)} data-testid="publish-cancel">
            Cancel
          </button>
        ) : null}
        {save.state !== 'saved' ? <p className="cv-muted">Waiting for your edits to be saved…</p> : null}
        {error ? <p className="cv-error">{error.message}</p> : null}
      </div>
      {error ? (
        <div className="cv-error" data-testid="publish-error">
          <ProblemList problems={locate(problemsOf(error))} testid="panel-problems" />
        </div>
      ) : null}
    </div>
  );
}

export function RevisionsPanel({ urls, meta, onView, onRestore, onCompare }) {
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
            <RevisionTags revision={r} />
            <div className="cv-muted cv-small">
              {r.commit_message || '—'} · {r.author || 'unknown'} · <time dateTime={r.date_created}>{r.date_created_text}</time>
            </div>
            <div className="cv-row">
              <button type="button" className="cv-link" onClick={() => onView(r.revision)} data-testid={`revision-view-${r.revision}`}>
                Open
              </button>
              {r.revision > 1 ? (
                <button type="button" className="cv-link" onClick={() => onCompare(r.revision - 1, r.revision)} data-testid={`revision-changes-${r.revision}`}>
                  Changes
                </button>
              ) : null}
              <button type="button" className="cv-link" onClick={() => onCompare(r.revision, 'draft')} data-testid={`revision-compare-${r.revision}`}>
                Compare with draft
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
