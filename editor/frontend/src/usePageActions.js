// What the editor page does besides editing widgets: selecting (the canvas's selection is
// the store's, and it is what others see), jumping to a widget, opening an old revision,
// restoring it, saving a draft and tidying up. What changes the whole picture (a revision
// shown, a document adopted, Tidy up) asks the canvas to fit it (requestFit, Canvas.jsx).
import { useCallback } from 'react';
import { getJson, postJson } from './api.js';
import { offsetOf } from './graph.js';
import { tidyOps } from './layout.js';
import { nodeWidth } from './components/WidgetNode.jsx';
import { boxOf } from './placement.js';
import { reveal } from './reveal.js';

const INSPECTOR_WIDTH = 340; // canvas.css .cv-inspector
const CENTRE_MS = 200;

/** How much of the canvas's right side the panels cover once a widget is selected. */
function coveredWidth() {
  if (typeof document === 'undefined') return 0;
  const panel = document.querySelector('.cv-body > .cv-panel');
  const inspector = document.querySelector('.cv-body > .cv-inspector');
  return (panel ? panel.offsetWidth : 0) + (inspector ? inspector.offsetWidth : INSPECTOR_WIDTH);
}

export function usePageActions({ flow, live, urls, states, readOnly, notify, setViewing, setPanel, requestFit }) {
  const { store, sync, presence } = live;

  const setSelected = useCallback((names) => presence.setSelection(names), [presence]);

  const selectMany = useCallback(
    (names) => {
      const chosen = new Set(names);
      flow.setNodes((ns) => ns.map((n) => (n.selected === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) })));
      flow.setEdges((es) => es.map((e) => (e.selected ? { ...e, selected: false } : e)));
      setSelected(names);
    },
    [flow, setSelected],
  );
  const selectOnly = useCallback((name) => selectMany(name ? [name] : []), [selectMany]);

  const jumpTo = useCallback(
    (name) => {
      const state = states.find((s) => s.name === name);
      if (!state) return;
      selectOnly(name);
      const o = offsetOf(state);
      const zoom = Math.max(flow.getZoom(), 0.8);
      // Centred in what the side panels leave visible (the inspector opens on selecting).
      const covered = coveredWidth();
      flow.setCenter(o.x + nodeWidth(state) / 2 + covered / 2 / zoom, o.y + 45, { zoom, duration: CENTRE_MS });
      // Zoomed in, the centred widget can reach under the minimap: then it moves clear.
      reveal(flow, [boxOf(state)], { after: CENTRE_MS + 50 });
    },
    [states, flow, selectOnly],
  );

  async function viewRevision(n) {
    const r = await getJson(urls.revision(n));
    setViewing({ revision: n, definition: r.definition });
    setPanel(null);
    setSelected([]);
    requestFit();
  }

  /** An import or a restored revision: the whole document is the server's answer. */
  function adopt(response) {
    sync.history.clear();
    sync.adoptDocument(response);
    requestFit();
  }

  async function restore(n) {
    adopt(await postJson(urls.restore(n), {}));
    setViewing(null);
    notify(`Revision ${n} restored as a new draft.`);
  }

  async function saveDraft() {
    try {
      const { definition, ...meta } = await postJson(urls.save, {}); // eslint-disable-line no-unused-vars
      store.update({ meta: { ...store.state.meta, ...meta, version: store.state.version } });
      notify(meta.revision_created === false ? 'Nothing changed since the latest revision: no new revision.' : 'Draft saved as a revision.');
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  /** After publishing: the same document, a new status and revision. */
  function refresh(response) {
    const { definition, ...meta } = response; // eslint-disable-line no-unused-vars
    store.update({ meta: { ...store.state.meta, ...meta, version: store.state.version }, problems: response.problems || store.state.problems });
  }

  const tidy = () => !readOnly && sync.edit(tidyOps(store.state.view.states)) && requestFit();

  return { setSelected, selectMany, selectOnly, jumpTo, viewRevision, adopt, restore, saveDraft, refresh, tidy };
}
