// The panel beside the canvas: problems, publish, revisions, import/export or settings.
// Opening one puts the keyboard on its heading, so Tab goes on through the panel instead of
// the whole canvas; closing it (×, Esc) gives the keyboard back to the button that opens it.
import { useEffect, useRef } from 'react';
import ProblemsPanel from './ProblemsPanel.jsx';
import ImportExportPanel from './ImportExportPanel.jsx';
import { PublishPanel, RevisionsPanel, SettingsPanel } from './Panels.jsx';
import TestCasesPanel from './testcases/TestCasesPanel.jsx';

const PANEL_TITLES = { problems: 'Problems', revisions: 'Revisions', io: 'Import / export', settings: 'Flow settings', publish: 'Publish', tests: 'Tests' };

export default function SidePanel(props) {
  const { panel, setPanel, page, save, doc, edit, reload, store, urls, meta, catalogue, problems, counts, locate, notify, onJump, onView, onRestore, onCaseResult, onCompare } = props;
  const { lint, readOnly, onGoToFinding, onFix } = props;
  const { refresh, adopt } = page;
  const heading = useRef(null);
  useEffect(() => {
    if (heading.current) heading.current.focus({ preventScroll: true });
    return () => {
      const here = document.activeElement;
      if (here && here !== document.body) return;
      const opener = document.querySelector(`[data-testid='${panel === 'publish' ? 'publish-open' : `tab-${panel}`}']`);
      if (opener) opener.focus();
    };
  }, [panel]);
  const setMeta = (change) => store.update({ meta: change(store.state.meta) });
  function afterDocument(response, message) {
    adopt(response);
    if (message) notify(message);
    setPanel(null);
  }
  return (
    <aside className="cv-panel" data-testid={`panel-${panel}`} aria-label={PANEL_TITLES[panel]}>
      <header className="cv-panel-head">
        <h2 ref={heading} tabIndex={-1} data-testid="panel-heading">
          {PANEL_TITLES[panel]}
        </h2>
        <button type="button" className="cv-icon-button" onClick={() => setPanel(null)} title="Close" aria-label={`Close ${PANEL_TITLES[panel]}`}>
          ×
        </button>
      </header>
      {panel === 'problems' ? (
        <ProblemsPanel problems={problems} onJump={onJump} lint={lint} readOnly={readOnly} onGoToFinding={onGoToFinding} onFix={onFix} />
      ) : null}
      {panel === 'publish' ? (
        <PublishPanel
          urls={urls}
          save={save}
          counts={counts}
          locate={locate}
          lintUrl={urls.lint}
          catalogue={catalogue}
          states={doc.states}
          version={meta.version}
          onShowProblems={() => setPanel('problems')}
          meta={meta}
          onCompare={() => onCompare('published', 'draft')}
          onDone={(response, message) => {
            refresh(response);
            notify(message);
            setPanel(null);
          }}
        />
      ) : null}
      {panel === 'tests' ? <TestCasesPanel urls={urls} notify={notify} onJump={onJump} onResult={onCaseResult} /> : null}
      {panel === 'revisions' ? <RevisionsPanel urls={urls} meta={meta} onView={onView} onRestore={onRestore} onCompare={onCompare} /> : null}
      {panel === 'io' ? (
        <ImportExportPanel urls={urls} meta={meta} save={save} catalogue={catalogue} onImported={afterDocument} onReload={() => reload()} notify={notify} />
      ) : null}
      {panel === 'settings' ? (
        <SettingsPanel
          urls={urls}
          meta={meta}
          doc={doc}
          edit={edit}
          onSaved={(r) => setMeta((m) => ({ ...m, friendly_name: r.friendly_name, test_users: r.test_users }))}
          notify={notify}
        />
      ) : null}
    </aside>
  );
}
