import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import Canvas, { LARGE_FLOW } from './Canvas.jsx';
import Header from './Header.jsx';
import Library from './Library.jsx';
import Inspector from './Inspector.jsx';
import ProblemsPanel from './ProblemsPanel.jsx';
import { ConflictBanner, Notice, RevisionBanner } from './Banners.jsx';
import { ImportExportPanel, PublishPanel, RevisionsPanel, SettingsPanel } from './Panels.jsx';
import { FindOverlay, HelpOverlay } from './Overlays.jsx';
import { CanvasContext } from '../context.js';
import { flowUrls, getJson, postJson } from '../api.js';
import { useFlow } from '../useFlow.js';
import { freeName, newState, widgetDef } from '../catalogue.js';
import { locateProblems, offsetOf } from '../graph.js';
import { fragmentOf, parseFragment, pasteOps } from '../clipboard.js';
import { tidyOps } from '../layout.js';
import { useShortcuts } from '../shortcuts.js';
import { nodeWidth } from './WidgetNode.jsx';

const PANEL_TITLES = { problems: 'Problems', revisions: 'Revisions', io: 'Import / export', settings: 'Flow settings', details: 'Details', publish: 'Publish' };

function Editor({ config, catalogue }) {
  const urls = useMemo(() => flowUrls(config.documentUrl), [config.documentUrl]);
  const flowState = useFlow(urls, config.firstDocument);
  const { meta, setMeta, refresh, doc, problems, save, history, loadError, edit, undo, redo, reload, adopt, queue, docRef } = flowState;
  const flow = useReactFlow();
  const [selected, setSelected] = useState([]);
  const [panel, setPanel] = useState(null);
  const [overlay, setOverlay] = useState(null);
  const [viewing, setViewing] = useState(null); // {revision, definition}
  const [snap, setSnap] = useState(false);
  const [minimap, setMinimap] = useState(null); // null: on unless the flow is large
  const [notice, setNotice] = useState(null);
  const api = useRef({});

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

  const located = useMemo(() => (viewing || !doc ? [] : locateProblems(problems, doc.states)), [problems, doc, viewing]);
  const problemsByName = useMemo(() => {
    const counts = {};
    for (const p of located) if (p.widget) counts[p.widget] = (counts[p.widget] || 0) + 1;
    return counts;
  }, [located]);

  const addWidget = useCallback(
    (type, position) => {
      const d = docRef.current;
      if (!d || readOnly) return;
      const def = widgetDef(catalogue, type);
      const name = freeName(def.name_prefix, new Set(d.states.map((s) => s.name)));
      let at = position;
      if (!at) {
        const box = document.querySelector('.cv-canvas').getBoundingClientRect();
        at = flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
      }
      const offset = { x: Math.round(at.x - nodeWidth({ transitions: def.events }) / 2), y: Math.round(at.y - 20) };
      edit([{ op: 'add_widget', state: newState(def, name, offset) }]);
      setTimeout(() => selectOnly(name), 0);
    },
    [catalogue, edit, flow, readOnly, docRef], // eslint-disable-line react-hooks/exhaustive-deps
  );

  function selectOnly(name) {
    flow.setNodes((ns) => ns.map((n) => (n.selected === (n.id === name) ? n : { ...n, selected: n.id === name })));
    flow.setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
    setSelected([name]);
  }

  const jumpTo = useCallback(
    (name) => {
      const state = states.find((s) => s.name === name);
      if (!state) return;
      selectOnly(name);
      const o = offsetOf(state);
      flow.setCenter(o.x + nodeWidth(state) / 2, o.y + 45, { zoom: Math.max(flow.getZoom(), 0.8), duration: 200 });
    },
    [states, flow], // eslint-disable-line react-hooks/exhaustive-deps
  );

  api.current.deleteSelection = (names, edges) => {
    if (readOnly) return;
    const d = docRef.current;
    const doomed = names.filter((n) => {
      const s = d.states.find((x) => x.name === n);
      return s && s.type !== 'trigger';
    });
    if (names.length && !doomed.length) notify('The Trigger cannot be deleted.');
    const gone = new Set(doomed);
    const ops = edges
      .filter((e) => !gone.has(e.source) && !gone.has(e.target))
      .map((e) => ({ op: 'connect', name: e.source, index: Number(e.sourceHandle), next: null }));
    if (doomed.length) ops.unshift({ op: 'delete_widgets', names: doomed });
    edit(ops);
    setSelected([]);
  };

  function copyText() {
    return JSON.stringify(fragmentOf(states, selected), null, 2);
  }

  function paste(text, sameFlow = false) {
    if (readOnly) return;
    const fragment = parseFragment(text);
    if (!fragment || !fragment.length) return notify('The clipboard holds no widgets.');
    // A duplicate lands next to its original; a paste lands in view.
    const box = document.querySelector('.cv-canvas').getBoundingClientRect();
    let at = flow.screenToFlowPosition({ x: box.left + box.width / 3, y: box.top + box.height / 3 });
    if (sameFlow) {
      at = { x: Math.min(...fragment.map((s) => offsetOf(s).x)) + 40, y: Math.min(...fragment.map((s) => offsetOf(s).y)) + 40 };
    }
    const ops = pasteOps(fragment, docRef.current, catalogue, at);
    edit(ops);
    const names = ops.map((op) => op.state.name);
    setTimeout(() => {
      flow.setNodes((ns) => ns.map((n) => ({ ...n, selected: names.includes(n.id) })));
      setSelected(names);
    }, 0);
  }

  async function copySelection() {
    if (!selected.length) return;
    const text = copyText();
    try {
      await navigator.clipboard.writeText(text);
      notify(`Copied ${selected.length} widget${selected.length === 1 ? '' : 's'}.`);
    } catch (e) {
      notify('The browser refused clipboard access.', 'error');
    }
  }

  async function pasteFromClipboard() {
    try {
      paste(await navigator.clipboard.readText());
    } catch (e) {
      notify('The browser refused clipboard access; allow it to paste.', 'error');
    }
  }

  const tidy = () => !readOnly && edit(tidyOps(docRef.current.states));

  useShortcuts({
    escape: () => setOverlay(null),
    undo: () => !readOnly && undo(),
    redo: () => !readOnly && redo(),
    duplicate: () => selected.length && paste(copyText(), true),
    copy: copySelection,
    paste: pasteFromClipboard,
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
  function afterDocument(response, message) {
    adopt(response);
    if (message) notify(message);
    setPanel(null);
  }
  async function saveDraft() {
    try {
      refresh(await postJson(urls.save, {}));
      notify('Draft saved as a revision.');
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  const actions = { undo, redo, tidy, saveDraft, help: () => setOverlay('help') };

  return (
    <div className={`cv-app${readOnly ? ' is-readonly' : ''}`} data-testid="canvas-app" data-version={meta.version}>
      <Header
        meta={fullMeta}
        save={save}
        readOnly={readOnly}
        viewing={viewing}
        history={history}
        actions={actions}
        panel={panel}
        setPanel={setPanel}
        problemCount={located.length}
      />
      <ConflictBanner
        save={save}
        onReapply={() => reload()}
        onDiscard={() => reload({ discard: true })}
        onRetry={() => (save.pending ? queue.resume(queue.version) : reload())}
      />
      <RevisionBanner viewing={viewing} canEdit={canEdit} onBack={() => setViewing(null)} onRestore={restore} />
      <div className="cv-body">
        {readOnly ? null : <Library catalogue={catalogue} onAdd={addWidget} />}
        <Canvas
          states={states}
          problemsByName={problemsByName}
          readOnly={readOnly}
          edit={edit}
          onSelect={setSelected}
          onAddAt={addWidget}
          snap={snap}
          minimap={minimap ?? states.length <= LARGE_FLOW}
          api={api}
        />
        <div className="cv-canvas-tools">
          <label className="cv-check" title="Snap to grid">
            <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} data-testid="snap" /> Snap
          </label>
          <label className="cv-check" title="Show the minimap (off by default for large flows)">
            <input
              type="checkbox"
              checked={minimap ?? states.length <= LARGE_FLOW}
              onChange={(e) => setMinimap(e.target.checked)}
              data-testid="minimap"
            />{' '}
            Minimap
          </label>
          <button type="button" className="cv-link" onClick={() => flow.fitView({ maxZoom: 1, duration: 200 })} data-testid="fit">
            Fit view
          </button>
        </div>
        {inspected ? (
          <Inspector
            key={inspected.name}
            state={inspected}
            doc={shown}
            catalogue={catalogue}
            problems={located}
            readOnly={readOnly}
            edit={edit}
            onClose={() => selectOnly(null)}
          />
        ) : null}
        {panel ? (
          <aside className="cv-panel" data-testid={`panel-${panel}`}>
            <header className="cv-panel-head">
              <h2>{PANEL_TITLES[panel]}</h2>
              <button type="button" className="cv-icon-button" onClick={() => setPanel(null)} title="Close">×</button>
            </header>
            {panel === 'problems' ? <ProblemsPanel problems={located} onJump={jumpTo} /> : null}
            {panel === 'publish' ? (
              <PublishPanel
                urls={urls}
                save={save}
                onDone={(response, message) => {
                  refresh(response);
                  notify(message);
                  setPanel(null);
                }}
              />
            ) : null}
            {panel === 'revisions' ? <RevisionsPanel urls={urls} meta={fullMeta} onView={viewRevision} onRestore={restore} /> : null}
            {panel === 'io' ? <ImportExportPanel urls={urls} meta={fullMeta} save={save} onImported={afterDocument} notify={notify} /> : null}
            {panel === 'settings' ? (
              <SettingsPanel urls={urls} meta={fullMeta} doc={doc} edit={edit} onSaved={(r) => setMeta((m) => ({ ...m, friendly_name: r.friendly_name, test_users: r.test_users }))} notify={notify} />
            ) : null}
          </aside>
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
