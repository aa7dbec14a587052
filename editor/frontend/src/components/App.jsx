// The flow editor page: the header, the library, the canvas, the inspector and the side
// panels, all reading the one document store (doc/store.js) that co-editing and presence
// keep up to date over the page's websocket.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import Canvas, { LARGE_FLOW } from './Canvas.jsx';
import CanvasTools from './CanvasTools.jsx';
import Header from './Header.jsx';
import Library from './Library.jsx';
import Inspector from './Inspector.jsx';
import SidePanel from './SidePanel.jsx';
import TestPanel from './test/TestPanel.jsx';
import { ErrorBanner, Notice, RevisionBanner } from './Banners.jsx';
import { FindOverlay, HelpOverlay } from './Overlays.jsx';
import CompareBar from './compare/CompareBar.jsx';
import CompareInspector from './compare/CompareInspector.jsx';
import { useCompare } from '../compare/useCompare.js';
import { CanvasContext } from '../context.js';
import { flowUrls } from '../api.js';
import { countProblems, locateProblems } from '../problems.js';
import { useShortcuts } from '../shortcuts.js';
import { useWidgetActions } from '../useWidgetActions.js';
import { usePageActions } from '../usePageActions.js';
import { useNotice } from '../useNotice.js';
import { useLint } from '../useLint.js';
import { useCoEditing, useDoc } from '../doc/useCoEditing.js';
import { marksByWidget } from '../doc/presence.js';
import { DebugContext } from '../live/useDebugger.js';
import DebuggerMenu from './test/DebuggerMenu.jsx';
import { initialTestPanel, useTestSession } from '../live/useTestSession.js';
import { FIT_MS } from '../fit.js';
import { useFit } from '../useFit.js';
import { useWidth } from '../useWidth.js';
import { useMinimapChoice } from '../prefs.js';
import { caseOverlay, replayInUrl } from './testcases/overlay.js';

/** Leaving with edits not yet confirmed by the server asks first. */
function useLeaveGuard(store) {
  useEffect(() => {
    const warn = (e) => {
      if (store.state.pending.length) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [store]);
}

function Editor({ config, catalogue }) {
  const urls = useMemo(() => flowUrls(config.documentUrl), [config.documentUrl]);
  const { notice, notify, close: closeNotice } = useNotice();
  const notifyRef = useRef(notify);
  const live = useCoEditing(config, urls, notifyRef);
  const { store, sync, socket, presence } = live;
  const view = useDoc(store, (s) => s.view);
  const meta = useDoc(store, (s) => s.meta);
  const problems = useDoc(store, (s) => s.problems);
  const selected = useDoc(store, (s) => s.selection);
  const others = useDoc(store, (s) => s.others);
  const me = useDoc(store, (s) => s.me);
  const save = useDoc(store, (s) => s.save);
  const loadError = useDoc(store, (s) => s.loadError);
  const flow = useReactFlow();
  const [panel, setPanel] = useState(() => (replayInUrl() ? 'tests' : initialTestPanel(config.flowSid) ? 'test' : null));
  const [overlay, setOverlay] = useState(null);
  const [caseResult, setCaseResult] = useState(null); // the Tests panel's shown result
  const [viewing, setViewing] = useState(null); // {revision, definition}
  const [snap, setSnap] = useState(false);
  const [minimap, setMinimap] = useMinimapChoice(); // null: on unless the flow is large
  // Asks the canvas to fit the states it is given next (Canvas.jsx).
  const [fitAsked, setFitAsked] = useState(0);
  const [body, setBody] = useState(null); // .cv-body: the test panel narrows in a narrow one
  const bodyWidth = useWidth(body);
  const requestFit = useCallback(() => setFitAsked((n) => n + 1), []);
  // Compare mode (src/compare): two versions drawn as one, read only; Esc leaves it.
  const clearRef = useRef(null);
  const clearSelection = useCallback(() => clearRef.current && clearRef.current(), []);
  const compare = useCompare({ urls, notify, requestFit, setPanel, setViewing, clearSelection, version: meta ? meta.version : 0 });
  const comparing = compare.data ? compare.data.view : null;

  const canEdit = Boolean(meta && meta.can_edit && config.canEdit && (!me || me.canEdit));
  const readOnly = !canEdit || Boolean(viewing) || compare.active;
  const shown = comparing ? comparing : viewing ? viewing.definition : view;
  const states = shown ? shown.states : [];
  // The widget actions read the document as it is when they run, not as it was rendered.
  const docRef = useMemo(() => ({ get current() { return store.state.view; } }), [store]); // prettier-ignore
  const edit = useCallback((ops) => sync.edit(ops), [sync]);

  const locate = useCallback((list) => locateProblems(list, store.state.view ? store.state.view.states : [], catalogue), [store, catalogue]);
  const located = useMemo(() => (viewing || !view ? [] : locateProblems(problems, view.states, catalogue)), [problems, view, viewing, catalogue]);
  const counts = useMemo(() => countProblems(located), [located]);
  const marks = useMemo(() => (viewing ? {} : marksByWidget(others)), [others, viewing]);

  const lint = useLint({ store, view, url: urls.lint, enabled: !viewing, catalogue });
  const [focus, setFocus] = useState(null); // {widget, where, handle, n}: a finding gone to
  const canvasLint = useMemo(
    () => {
      const shown = focus && focus.handle >= 0 && selected.includes(focus.widget);
      return { byName: lint.counts.byName, handle: shown ? { widget: focus.widget, index: focus.handle } : null };
    },
    [lint.counts, focus, selected],
  );

  useEffect(() => {
    if (focus && !selected.includes(focus.widget)) setFocus(null);
  }, [focus, selected]);

  const page = usePageActions({ flow, live, urls, states, readOnly, notify, setViewing, setPanel, requestFit });
  const { selectOnly, selectMany, setSelected } = page;
  clearRef.current = () => selectOnly(null);
  const actions = useWidgetActions({ flow, docRef, catalogue, readOnly, edit, notify, selected, selectOnly, selectMany, setSelected, aliases: sync.aliases });
  const testing = useTestSession({ flowSid: config.flowSid, socket, open: panel === 'test' && !viewing, states, flow });
  const caseRun = useMemo(() => (panel === 'tests' ? caseOverlay(caseResult, states, config.flowSid) : null), [panel, caseResult, states, config.flowSid]);
  const goToFinding = useCallback(
    (finding) => {
      page.jumpTo(finding.widget);
      setFocus((f) => ({ widget: finding.widget, where: finding.where, handle: finding.handle, n: (f ? f.n : 0) + 1 }));
    },
    [page],
  );
  const applyFix = useCallback((finding) => finding.fix && !readOnly && edit(finding.fix.edits), [edit, readOnly]);
  const undo = () => !readOnly && sync.history.undo();
  const redo = () => !readOnly && sync.history.redo();

  useShortcuts({
    // Esc closes an overlay, else leaves compare mode, else (not in a field) clears the
    // selection, which closes the inspector, else closes the side panel (not the test panel).
    escape: (inField) => {
      if (overlay) setOverlay(null);
      else if (compare.active) compare.exit();
      else if (!inField && selected.length) selectOnly(null);
      else if (!inField && panel && panel !== 'test') setPanel(null);
    },
    undo,
    redo,
    duplicate: actions.duplicate,
    copy: actions.copySelection,
    cut: actions.cutSelection,
    selectAll: actions.selectAll,
    paste: actions.pasteFromClipboard,
    find: () => setOverlay('find'),
    help: () => setOverlay('help'),
  });
  useLeaveGuard(store);
  // The Test panel covers the canvas's right side: opening it fits the flow into what is left
  // beside it, as Fit view would (a large flow keeps its view, at zoom 1 on its Trigger).
  const testOpen = panel === 'test' && !viewing;
  const testWasOpen = useRef(testOpen);
  useEffect(() => {
    if (testOpen && !testWasOpen.current && states.length <= LARGE_FLOW) requestFit();
    testWasOpen.current = testOpen;
  }, [testOpen]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    window.__canvas = { queue: { idle: () => sync.idle() }, getDoc: () => store.state.view, flow, store, sync };
  }, [store, sync, flow]);

  const inspected = selected.length === 1 ? states.find((s) => s.name === selected[0]) : null;
  const showMinimap = minimap ?? states.length <= LARGE_FLOW;
  const fit = { panel: viewing && panel === 'test' ? null : panel, chosenTestWidth: testing.width, bodyWidth, readOnly };
  const { testWidth, visible, minimap: minimapSize, options: fitView } = useFit({ states, showMinimap, inspector: Boolean(inspected), ...fit });

  if (loadError) return <div className="cv-banner cv-banner-danger">Could not load the flow: {loadError}</div>;
  if (!meta || !view) return <div className="cv-loading">Loading the canvas…</div>;

  const fullMeta = { ...meta, export_url: config.exportUrl };
  const headerActions = { undo, redo, tidy: page.tidy, saveDraft: page.saveDraft, help: () => setOverlay('help'), compare: () => compare.open() };

  return (
    <div className={`cv-app${readOnly ? ' is-readonly' : ''}`} data-testid="canvas-app" data-version={meta.version}>
      <Header
        meta={fullMeta}
        store={store}
        readOnly={readOnly}
        viewing={viewing}
        comparing={compare.active}
        actions={headerActions}
        panel={panel}
        setPanel={setPanel}
        problemCounts={counts.total}
        lintCounts={lint.counts.total}
      />
      <ErrorBanner save={save} onDismiss={() => sync.dismissError()} />
      <RevisionBanner viewing={viewing} canEdit={canEdit} onBack={() => setViewing(null)} onRestore={page.restore} />
      {compare.active ? <CompareBar compare={compare} /> : null}
      <div className="cv-body" ref={setBody} style={{ '--tp-width': `${testWidth}px`, '--cv-visible': visible ? `${visible}px` : 'none' }}>
        {readOnly ? null : <Library catalogue={catalogue} onAdd={actions.addWidget} />}
        <DebugContext.Provider value={panel === 'test' && !viewing ? testing.debug.canvas : null}>
          <Canvas
            states={states}
            problemsByName={counts.byName}
            readOnly={readOnly}
            edit={edit}
            selected={selected}
            onSelect={actions.select}
            onAddAt={actions.addWidget}
            onDelete={actions.deleteSelection}
            snap={snap}
            minimap={minimapSize}
            run={testing.overlay || caseRun}
            marks={marks}
            lint={viewing || comparing ? null : canvasLint}
            compare={comparing}
            fitView={fitView}
            fitAsked={fitAsked}
          />
        </DebugContext.Provider>
        {panel === 'test' && !viewing ? (
          <DebuggerMenu debug={testing.debug} isTrigger={(name) => name === (view.initial_state || 'Trigger')} />
        ) : null}
        <CanvasTools snap={snap} setSnap={setSnap} minimap={showMinimap} setMinimap={setMinimap} onFit={() => flow.fitView({ ...fitView, duration: FIT_MS })} readOnly={readOnly} />
        {inspected && comparing ? (
          <CompareInspector state={inspected} entry={comparing.widgets[inspected.name]} catalogue={catalogue} missing={comparing.missing} onClose={() => selectOnly(null)} />
        ) : inspected ? (
          <Inspector
            key={actions.inspectorKey(inspected.name)}
            state={inspected}
            doc={shown}
            catalogue={catalogue}
            problems={located}
            findings={viewing ? [] : lint.findings}
            focus={focus}
            readOnly={readOnly}
            edit={edit}
            marks={marks[inspected.name]}
            presence={presence}
            onRename={actions.rename}
            teamFlows={meta.team_flows}
            onClose={() => selectOnly(null)}
            onDraftLost={(widget, field, typed) => sync.history.draftLost(widget, field, typed)}
          />
        ) : null}
        {panel === 'test' ? (
          <TestPanel
            test={testing.test}
            debug={testing.debug}
            flowSid={config.flowSid}
            states={view.states}
            catalogue={catalogue}
            blocked={save.state === 'saving' || save.state === 'offline'}
            width={testWidth}
            setWidth={testing.setWidth}
            onClose={() => setPanel(null)}
            onFocus={testing.focus}
          />
        ) : null}
        {panel && panel !== 'test' ? (
          <SidePanel
            panel={panel}
            setPanel={setPanel}
            page={page}
            save={save}
            doc={view}
            edit={edit}
            reload={() => sync.reload()}
            store={store}
            urls={urls}
            meta={fullMeta}
            catalogue={catalogue}
            problems={located}
            counts={counts.total}
            locate={locate}
            notify={notify}
            onJump={page.jumpTo}
            lint={lint}
            readOnly={readOnly}
            onGoToFinding={goToFinding}
            onFix={applyFix}
            onView={page.viewRevision}
            onRestore={page.restore}
            onCaseResult={setCaseResult}
            onCompare={compare.open}
          />
        ) : null}
      </div>
      {overlay === 'help' ? <HelpOverlay onClose={() => setOverlay(null)} /> : null}
      {overlay === 'find' ? (
        <FindOverlay
          states={states}
          onClose={() => setOverlay(null)}
          onFound={(name) => {
            setOverlay(null);
            page.jumpTo(name);
          }}
        />
      ) : null}
      <Notice notice={notice} onClose={closeNotice} />
    </div>
  );
}

export default function App({ config, catalogue }) {
  return (
    <CanvasContext.Provider value={{ catalogue }}>
      <ReactFlowProvider>
        <Editor config={config} catalogue={catalogue} />
      </ReactFlowProvider>
    </CanvasContext.Provider>
  );
}
