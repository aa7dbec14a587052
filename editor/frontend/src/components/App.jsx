import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import Canvas, { LARGE_FLOW } from './Canvas.jsx';
import CanvasTools from './CanvasTools.jsx';
import Header from './Header.jsx';
import Library from './Library.jsx';
import Inspector from './Inspector.jsx';
import SidePanel from './SidePanel.jsx';
import TestPanel from './test/TestPanel.jsx';
import { ConflictBanner, Notice, RevisionBanner } from './Banners.jsx';
import { FindOverlay, HelpOverlay } from './Overlays.jsx';
import { CanvasContext } from '../context.js';
import { flowUrls, getJson, postJson } from '../api.js';
import { useFlow } from '../useFlow.js';
import { offsetOf } from '../graph.js';
import { countProblems, locateProblems } from '../problems.js';
import { tidyOps } from '../layout.js';
import { useShortcuts } from '../shortcuts.js';
import { useWidgetActions } from '../useWidgetActions.js';
import { nodeWidth } from './WidgetNode.jsx';
import { initialTestPanel, useTestSession } from '../live/useTestSession.js';

function Editor({ config, catalogue }) {
  const urls = useMemo(() => flowUrls(config.documentUrl), [config.documentUrl]);
  const flowState = useFlow(urls, config.firstDocument);
  const { meta, refresh, doc, problems, save, history, loadError, edit, undo, redo, reload, adopt, queue, docRef } = flowState;
  const flow = useReactFlow();
  const [selected, setSelected] = useState([]);
  const [panel, setPanel] = useState(() => (initialTestPanel(config.flowSid) ? 'test' : null));
  const [overlay, setOverlay] = useState(null);
  const [viewing, setViewing] = useState(null); // {revision, definition}
  const [snap, setSnap] = useState(false);
  const [minimap, setMinimap] = useState(null); // null: on unless the flow is large
  const [notice, setNotice] = useState(null);

  const notify = useCallback((text, kind = 'info') => setNotice({ text, kind, at: Date.now() }), []);
  useEffect(() => {
    if (!notice || notice.kind === 'error') return undefined;
    const timer = setTimeout(() => setNotice((n) => (n === notice ? null : n)), 4000);
    return () => clearTimeout(timer);
  }, [notice]);
  const canEdit = Boolean(meta && meta.can_edit && config.canEdit);
  const readOnly = !canEdit || Boolean(viewing);
  const shown = viewing ? viewing.definition : doc;
  const states = shown ? shown.states : [];

  const locate = useCallback((list) => locateProblems(list, docRef.current ? docRef.current.states : [], catalogue), [docRef, catalogue]);
  const located = useMemo(() => (viewing || !doc ? [] : locateProblems(problems, doc.states, catalogue)), [problems, doc, viewing, catalogue]);
  const counts = useMemo(() => countProblems(located), [located]);

  const selectMany = useCallback(
    (names) => {
      const chosen = new Set(names);
      flow.setNodes((ns) => ns.map((n) => (n.selected === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) })));
      flow.setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
      setSelected(names);
    },
    [flow],
  );
  const selectOnly = useCallback((name) => selectMany(name ? [name] : []), [selectMany]);
  const actions = useWidgetActions({ flow, docRef, catalogue, readOnly, edit, notify, selected, selectOnly, selectMany, setSelected });

  const jumpTo = useCallback(
    (name) => {
      const state = states.find((s) => s.name === name);
      if (!state) return;
      selectOnly(name);
      const o = offsetOf(state);
      flow.setCenter(o.x + nodeWidth(state) / 2, o.y + 45, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 });
    },
    [states, flow, selectOnly],
  );

  const testing = useTestSession({ flowSid: config.flowSid, open: panel === 'test' && !viewing, states, flow });

  useShortcuts({
    escape: () => setOverlay(null),
    undo: () => !readOnly && undo(),
    redo: () => !readOnly && redo(),
    duplicate: actions.duplicate,
    copy: actions.copySelection,
    paste: actions.pasteFromClipboard,
    find: () => setOverlay('find'),
    help: () => setOverlay('help'),
  });

  useEffect(() => {
    const warn = (e) => {
      if (queue.pending.length) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [queue]);

  useEffect(() => {
    window.__canvas = { queue, getDoc: () => docRef.current, flow };
  }, [queue, docRef, flow]);

  if (loadError) return <div className="cv-banner cv-banner-danger">Could not load the flow: {loadError}</div>;
  if (!meta || !doc) return <div className="cv-loading">Loading the canvas…</div>;

  const fullMeta = { ...meta, export_url: config.exportUrl };
  const inspected = selected.length === 1 ? states.find((s) => s.name === selected[0]) : null;
  const showMinimap = minimap ?? states.length <= LARGE_FLOW;

  async function viewRevision(n) {
    const r = await getJson(urls.revision(n));
    setViewing({ revision: n, definition: r.definition });
    setPanel(null);
    setSelected([]);
    setTimeout(() => flow.fitView({ maxZoom: 1 }), 50);
  }
  async function restore(n) {
    adopt(await postJson(urls.restore(n), {}));
    setViewing(null);
    notify(`Revision ${n} restored as a new draft.`);
  }
  async function saveDraft() {
    try {
      refresh(await postJson(urls.save, {}));
      notify('Draft saved as a revision.');
    } catch (e) {
      notify(e.message, 'error');
    }
  }
  const tidy = () => !readOnly && edit(tidyOps(docRef.current.states));
  const headerActions = { undo, redo, tidy, saveDraft, help: () => setOverlay('help') };

  return (
    <div className={`cv-app${readOnly ? ' is-readonly' : ''}`} data-testid="canvas-app" data-version={meta.version}>
      <Header
        meta={fullMeta}
        save={save}
        readOnly={readOnly}
        viewing={viewing}
        history={history}
        actions={headerActions}
        panel={panel}
        setPanel={setPanel}
        problemCounts={counts.total}
      />
      <ConflictBanner
        save={save}
        onReapply={() => reload()}
        onDiscard={() => reload({ discard: true })}
        onRetry={() => (save.pending ? queue.resume(queue.version) : reload())}
      />
      <RevisionBanner viewing={viewing} canEdit={canEdit} onBack={() => setViewing(null)} onRestore={restore} />
      <div className="cv-body" style={{ '--tp-width': `${testing.width}px` }}>
        {readOnly ? null : <Library catalogue={catalogue} onAdd={actions.addWidget} />}
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
          minimap={showMinimap}
          run={testing.overlay}
        />
        <CanvasTools snap={snap} setSnap={setSnap} minimap={showMinimap} setMinimap={setMinimap} onFit={() => flow.fitView({ maxZoom: 1, duration: 200 })} />
        {inspected ? (
          <Inspector
            key={actions.inspectorKey(inspected.name)}
            state={inspected}
            doc={shown}
            catalogue={catalogue}
            problems={located}
            readOnly={readOnly}
            edit={edit}
            onRename={actions.rename}
            onClose={() => selectOnly(null)}
          />
        ) : null}
        {panel === 'test' ? (
          <TestPanel
            test={testing.test}
            flowSid={config.flowSid}
            states={doc.states}
            catalogue={catalogue}
            blocked={save.state === 'saving' || save.state === 'unsaved'}
            width={testing.width}
            setWidth={testing.setWidth}
            onClose={() => setPanel(null)}
            onFocus={testing.focus}
          />
        ) : null}
        {panel && panel !== 'test' ? (
          <SidePanel
            panel={panel}
            setPanel={setPanel}
            flowState={flowState}
            urls={urls}
            meta={fullMeta}
            catalogue={catalogue}
            problems={located}
            counts={counts.total}
            locate={locate}
            notify={notify}
            onJump={jumpTo}
            onView={viewRevision}
            onRestore={restore}
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
            jumpTo(name);
          }}
        />
      ) : null}
      <Notice notice={notice} onClose={() => setNotice(null)} />
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
