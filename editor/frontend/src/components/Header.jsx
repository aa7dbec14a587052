import Avatars from './Avatars.jsx';
import { flowStatus, saveLabel } from '../status.js';
import { tabCounts } from '../problems.js';
import { useDoc } from '../doc/useCoEditing.js';

/** Beside the Problems tab: blocking errors filled red, warnings amber, the linter's by severity (problems.js). */
function ProblemCounts({ counts, lint }) {
  return tabCounts(counts, lint).map((c) => (
    <span key={c.key} className={`cv-count cv-count-${c.key}`} data-testid={`${c.key}-count`} title={c.title}>
      {c.text}
    </span>
  ));
}

export default function Header({ meta, store, readOnly, viewing, comparing, actions, panel, setPanel, problemCounts, lintCounts }) {
  const save = useDoc(store, (s) => s.save);
  const history = useDoc(store, (s) => s.history);
  const others = useDoc(store, (s) => s.others);
  const me = useDoc(store, (s) => s.me);
  const canEdit = !readOnly && !viewing && !comparing;
  const status = flowStatus(meta);
  const tab = (id, label, extra) => (
    <button
      type="button"
      className={`cv-tab${panel === id ? ' is-active' : ''}`}
      onClick={() => setPanel(panel === id ? null : id)}
      aria-pressed={panel === id}
      data-testid={`tab-${id}`}
    >
      {label}
      {extra}
    </button>
  );
  return (
    <header className="cv-header" data-testid="canvas-header">
      <div className="cv-title">
        <h1 data-testid="flow-name">{meta.friendly_name}</h1>
        <span className={`badge badge-${meta.status}`} data-testid="flow-status">
          {status.label}
        </span>
        {status.unpublishedChanges ? (
          <span className="cv-chip cv-chip-warn" data-testid="unpublished">Unpublished changes</span>
        ) : null}
        {readOnly && !viewing && !comparing ? <span className="cv-chip">Read only</span> : null}
        <span className={`cv-save cv-save-${save.state}`} data-testid="save-state" data-state={save.state} title={save.message}>
          {saveLabel(save)}
        </span>
      </div>
      <Avatars others={others} me={me} />
      <div className="cv-actions">
        {canEdit ? (
          <>
            <button type="button" className="cv-button" onClick={actions.undo} disabled={!history.undo} title="Undo (Ctrl+Z)" data-testid="undo">
              Undo
            </button>
            <button type="button" className="cv-button" onClick={actions.redo} disabled={!history.redo} title="Redo (Shift+Ctrl+Z)" data-testid="redo">
              Redo
            </button>
            <button type="button" className="cv-button" onClick={actions.tidy} title="Tidy up the layout" data-testid="tidy">
              Tidy up
            </button>
          </>
        ) : null}
        {tab('problems', 'Problems', <ProblemCounts counts={problemCounts} lint={lintCounts} />)}
        {tab('tests', 'Tests')}
        {tab('revisions', 'Revisions')}
        <button
          type="button"
          className={`cv-tab${comparing ? ' is-active' : ''}`}
          onClick={actions.compare}
          disabled={comparing}
          title="Compare the draft with the published revision, or any two revisions"
          data-testid="compare-open"
        >
          Compare
        </button>
        {tab('io', 'Import / export')}
        {tab('settings', 'Settings')}
        <a
          className="cv-tab"
          href="#flow-details"
          onClick={() => {
            const details = document.getElementById('flow-details');
            if (details) details.open = true;
          }}
          data-testid="tab-details"
        >
          Details
        </a>
        <button
          type="button"
          className={`cv-button${panel === 'test' ? ' is-active' : ''}`}
          onClick={() => setPanel(panel === 'test' ? null : 'test')}
          aria-pressed={panel === 'test'}
          title="Run the draft as a contact would"
          data-testid="test-open"
        >
          Test
        </button>
        {canEdit ? (
          <>
            <button type="button" className="cv-button" onClick={actions.saveDraft} disabled={save.state !== 'saved'} data-testid="save-draft">
              Save draft
            </button>
            <button type="button" className="cv-button cv-button-primary" onClick={() => setPanel('publish')} data-testid="publish-open">
              Publish
            </button>
          </>
        ) : null}
        <button type="button" className="cv-icon-button" onClick={actions.help} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="help-open">
          ?
        </button>
      </div>
    </header>
  );
}
