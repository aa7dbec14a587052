// The React Flow canvas: nodes and edges derived from the document; every gesture becomes
// edit operations (positions once per drag, on drag stop).
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { Background, Controls, MiniMap, ReactFlow, applyNodeChanges, applyEdgeChanges, useReactFlow } from '@xyflow/react';
import WidgetNode from './WidgetNode.jsx';
import OldPosition from './compare/OldPosition.jsx';
import { compareNodes } from '../compare/model.js';
import { DRAG_TYPE } from './Library.jsx';
import { buildEdges, buildNodes, offsetOf } from '../graph.js';
import { CanvasContext } from '../context.js';
import { widgetDef } from '../catalogue.js';
import { connectOps, withAllOutputs } from '../outputs.js';
import { decorateEdges, decorateNodes } from '../live/overlay.js';
import { FIT_MS, MINIMAP_SIZES } from '../fit.js';
import { boxOf } from '../placement.js';
import { reveal } from '../reveal.js';
import { useNudge } from '../useNudge.js';

const nodeTypes = { widget: WidgetNode, oldpos: OldPosition };
export const LARGE_FLOW = 200;
const GRID = [20, 20];
const FLASH_MS = 2500; // how long the last transition taken stays animated
// A canvas narrowed by the panels over it (useFit.js) gets a smaller minimap, which covers
// fewer of its widgets; a fit keeps every widget clear of either (fit.js).
const COMPACT_MINIMAP = MINIMAP_SIZES.compact;

/** The last transition a test run took, while it is fresh. */
function useFlash(lastEdge) {
  const [flashing, setFlashing] = useState(null);
  const id = lastEdge ? lastEdge.id : null;
  const seq = lastEdge ? lastEdge.seq : 0;
  useEffect(() => {
    if (!id) return undefined;
    setFlashing(id);
    const timer = setTimeout(() => setFlashing(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [id, seq]);
  return flashing;
}

/** A nodes mapper leaving only `id` selected. */
const onlyNode = (id) => (n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id });

/** Others' selections and typing laid over the nodes they touch (the rest keep their identity). */
function withMarks(nodes, marks) {
  if (!marks || !Object.keys(marks).length) return nodes;
  return nodes.map((n) => (marks[n.id] ? { ...n, data: { ...n.data, marks: marks[n.id] } } : n));
}

/** The linter's counts and the output handle a finding points at, laid over the nodes. */
function withLint(nodes, lint) {
  if (!lint) return nodes;
  const { byName, handle } = lint;
  return nodes.map((n) => {
    const counts = byName[n.id];
    const focus = handle && handle.widget === n.id ? handle.index : -1;
    return counts || focus >= 0 ? { ...n, data: { ...n.data, lint: counts, focusHandle: focus } } : n;
  });
}

export default function Canvas(props) {
  const { states, problemsByName, readOnly, edit, selected, onSelect, onAddAt, onDelete, snap, minimap, run, marks, lint, compare, fitView, fitAsked } = props;
  const flow = useReactFlow();
  const { catalogue } = useContext(CanvasContext);
  const minimapClass = useCallback(
    (node) => {
      const state = node.data.state;
      if (!state) return 'cmp-oldpos-mini'; // compare mode's old-position outline
      return `w-group-${state.type === 'trigger' ? 'trigger' : widgetDef(catalogue, state.type).group}`;
    },
    [catalogue],
  );
  const [nodes, setNodes] = useState([]);
  const [edges, setEdges] = useState([]);
  const dragging = useRef(false);
  const droppedAt = useRef(0); // when the last drag ended: its mouseup also clicks
  // Read when the nodes are rebuilt, not a reason to rebuild them.
  const latest = useRef({});
  latest.current = { selected, onDelete, fitView };

  // Arrow keys move the selection; saved once they rest (useNudge.js), shown meanwhile.
  const nudge = useNudge(edit);
  useEffect(() => {
    if (dragging.current || nudge.pending()) return;
    const chosen = new Set(latest.current.selected);
    // Every event of a widget's type gets an output, also one its JSON lacks (outputs.js).
    const drawn = states.map((s) => withAllOutputs(s, widgetDef(catalogue, s.type)));
    setNodes((previous) => buildNodes(drawn, previous, problemsByName, readOnly, chosen));
    setEdges((previous) => buildEdges(states, previous));
  }, [states, problemsByName, readOnly, nudge, catalogue]);

  // A fit asked for with new states (Tidy up, an import, a revision or a comparison shown)
  // is asked here, after the nodes above are set: React Flow fits once they are measured,
  // into what the panels leave visible (fitView, src/fit.js), as the plain Fit view does.
  const fitDone = useRef(fitAsked);
  useEffect(() => {
    if (fitAsked === fitDone.current) return;
    fitDone.current = fitAsked;
    flow.fitView({ ...latest.current.fitView, duration: FIT_MS });
  }, [fitAsked, flow]);

  // A test run's marks are laid over the nodes and edges at render time; the gestures
  // below change the undecorated ones.
  const flashing = useFlash(run && run.lastEdge);
  // Compare mode draws the union of two versions instead (src/compare/model.js).
  const shownNodes = useMemo(
    () => (compare ? compareNodes(nodes, compare) : withLint(withMarks(decorateNodes(nodes, run), marks), lint)),
    [nodes, run, marks, lint, compare],
  );
  const shownEdges = useMemo(() => (compare ? compare.edges : decorateEdges(edges, run, flashing)), [edges, run, flashing, compare]);

  const onNodesChange = useCallback(
    (changes) => {
      nudge.take(changes, dragging.current);
      setNodes((ns) => applyNodeChanges(changes, ns));
    },
    [nudge],
  );
  const onEdgesChange = useCallback(
    (changes) => setEdges((es) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), es)),
    [],
  );

  // A widget clicked near the right edge would end up under the inspector that opens on it:
  // the canvas pans by the least that keeps it in sight (not after a drag, nor for a
  // widget added to a selection, which opens no inspector).
  const onNodeClick = useCallback(
    (event, node) => {
      const state = node.data && node.data.state;
      if (!state || event.shiftKey || event.ctrlKey || event.metaKey || Date.now() - droppedAt.current < 300) return;
      // A plain click on one widget of a selection selects only it, and its inspector opens.
      setNodes((ns) => (ns.some((n) => n.selected && n.id !== node.id) ? ns.map(onlyNode(node.id)) : ns));
      reveal(flow, [boxOf(state)]);
    },
    [flow],
  );

  // After a box selection React Flow lays a rectangle over the selected widgets (to drag them
  // all by it): a plain click on it selects only the widget under the pointer.
  const onClickCapture = useCallback((event) => {
    const rect = event.target.classList && event.target.classList.contains('react-flow__nodesselection-rect');
    if (!rect || event.shiftKey || event.ctrlKey || event.metaKey || Date.now() - droppedAt.current < 300) return;
    const under = document.elementsFromPoint(event.clientX, event.clientY).find((el) => el.classList.contains('react-flow__node-widget'));
    if (under) setNodes((ns) => ns.map(onlyNode(under.getAttribute('data-id'))));
  }, []);

  const onSelectionChange = useCallback(({ nodes: selected }) => onSelect(selected.map((n) => n.id)), [onSelect]);

  const onNodeDragStart = useCallback(() => {
    dragging.current = true;
  }, []);
  const onNodeDragStop = useCallback(
    (event, node, moved) => {
      dragging.current = false;
      droppedAt.current = Date.now();
      const offsets = {};
      for (const n of moved && moved.length ? moved : [node]) {
        offsets[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      }
      edit([{ op: 'move_widgets', offsets }]);
    },
    [edit],
  );

  const onConnect = useCallback(
    (c) => {
      if (c.source === c.target && c.source === 'Trigger') return;
      const state = states.find((s) => s.name === c.source);
      const ops = state ? connectOps(state, widgetDef(catalogue, state.type), Number(c.sourceHandle), c.target) : [];
      if (ops.length) edit(ops);
    },
    [edit, states, catalogue],
  );

  // A transition dropped anywhere on another widget (not only on its input handle, the small
  // square on top) connects to it, as in Studio.
  const onConnectEnd = useCallback(
    (event, connection) => {
      const { isValid, fromNode, fromHandle } = connection;
      if (isValid || !fromNode || !fromHandle || fromHandle.type !== 'source') return;
      const point = event.changedTouches ? event.changedTouches[0] : event;
      const under = document.elementFromPoint(point.clientX, point.clientY);
      const node = under && under.closest('.react-flow__node-widget');
      const target = node && node.getAttribute('data-id');
      const state = target && target !== fromNode.id && states.find((x) => x.name === target);
      if (!state || state.type === 'trigger') return;
      onConnect({ source: fromNode.id, sourceHandle: fromHandle.id, target });
    },
    [onConnect, states],
  );

  const onReconnect = useCallback(
    (old, c) => {
      const ops = [];
      let source = states.find((s) => s.name === c.source);
      if (old.source !== c.source || old.sourceHandle !== c.sourceHandle) {
        const index = Number(old.sourceHandle);
        ops.push({ op: 'connect', name: old.source, index, next: null });
        if (source && old.source === c.source) {
          // The new connection is worked out on the widget as the unwiring leaves it.
          const unwired = source.transitions.map((t, i) => (i === index ? Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'next')) : t));
          source = { ...source, transitions: unwired };
        }
      }
      if (source) ops.push(...connectOps(source, widgetDef(catalogue, source.type), Number(c.sourceHandle), c.target));
      edit(ops);
    },
    [edit, states, catalogue],
  );

  // Deleting goes through our ops (one edit for the whole selection); React Flow removes nothing.
  const onBeforeDelete = useCallback(async ({ nodes: doomedNodes, edges: doomedEdges }) => {
    latest.current.onDelete(doomedNodes.map((n) => n.id), doomedEdges);
    return false;
  }, []);

  const onDragOver = useCallback((e) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
    }
  }, []);
  const onDrop = useCallback(
    (e) => {
      const type = e.dataTransfer.getData(DRAG_TYPE);
      if (!type || readOnly) return;
      e.preventDefault();
      onAddAt(type, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, onAddAt, readOnly],
  );

  const large = states.length > LARGE_FLOW;
  // A large flow opens at zoom 1 on its Trigger: fitting 1,000 widgets on screen would make
  // every one of them visible (no culling) and unreadable anyway.
  const initialView = useMemo(() => {
    if (!large) return { fitView: states.length > 0 };
    const start = states.find((s) => s.type === 'trigger') || states[0];
    const o = offsetOf(start);
    return { defaultViewport: { x: 80 - o.x, y: 40 - o.y, zoom: 1 } };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div className={`cv-canvas${compare ? ' is-comparing' : ''}`} onDragOver={onDragOver} onDrop={onDrop} onClickCapture={onClickCapture} data-testid="canvas">
      <ReactFlow
        nodes={shownNodes}
        edges={shownEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onSelectionChange={onSelectionChange}
        onNodeClick={onNodeClick}
        onNodeDragStart={onNodeDragStart}
        onNodeDragStop={onNodeDragStop}
        onConnect={readOnly ? undefined : onConnect}
        onConnectEnd={readOnly ? undefined : onConnectEnd}
        onReconnect={readOnly ? undefined : onReconnect}
        onBeforeDelete={onBeforeDelete}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        edgesReconnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Control', 'Meta']}
        selectionKeyCode="Shift"
        snapToGrid={snap}
        snapGrid={GRID}
        onlyRenderVisibleElements={large}
        {...initialView}
        fitViewOptions={fitView}
        minZoom={0.05}
        maxZoom={2}
        defaultEdgeOptions={{ type: 'default' }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={GRID} size={1} />
        <Controls showInteractive={false} fitViewOptions={fitView} />
        {minimap ? <MiniMap pannable zoomable nodeClassName={minimapClass} nodeBorderRadius={4} style={minimap === 'compact' ? COMPACT_MINIMAP : undefined} /> : null}
      </ReactFlow>
    </div>
  );
}
