// The document as React Flow nodes and edges. Node id = widget name; a transition's handle id
// is its index as a string, so several `match` transitions of a split stay distinct.

import { NODE_HEIGHT, nodeWidth } from './components/WidgetNode.jsx';

/**
 * Where a widget's handles are, as the CSS lays them out (fixed height, equal output slots).
 * Giving React Flow these up front lets it cull off-screen widgets from the first frame,
 * instead of rendering all of them once to measure them.
 */
export function handlesOf(state) {
  const width = nodeWidth(state);
  const transitions = state.transitions || [];
  const slot = (width - 2) / Math.max(1, transitions.length);
  const handles = transitions.map((t, i) => ({
    id: String(i),
    type: 'source',
    position: 'bottom',
    x: 1 + slot * (i + 0.5) - 5,
    y: NODE_HEIGHT,
    width: 10,
    height: 10,
  }));
  if (state.type !== 'trigger') {
    handles.push({ id: 'in', type: 'target', position: 'top', x: width / 2 - 6, y: -9, width: 12, height: 8 });
  }
  return handles;
}

export function offsetOf(state) {
  const offset = (state.properties && state.properties.offset) || {};
  return { x: Number(offset.x) || 0, y: Number(offset.y) || 0 };
}

const NO_PROBLEMS = { errors: 0, warnings: 0 };
const sameCounts = (a, b) => a.errors === b.errors && a.warnings === b.warnings;

/**
 * Nodes for `states`, reusing the previous node object when nothing it shows changed, so
 * React Flow and memoised widgets skip untouched nodes (this matters at 1,000 widgets).
 * A widget new to the canvas is selected if its name is in `selected` (a renamed widget
 * is a new node, and stays selected so its inspector stays open). A node that changed keeps
 * the size React Flow measured: its element is the same, and is measured again only if its
 * size changes, so without it React Flow would hold every fit until then.
 */
export function buildNodes(states, previous, problemsByName, readOnly, selected) {
  const before = new Map(previous.map((n) => [n.id, n]));
  return states.map((state) => {
    const old = before.get(state.name);
    const problems = problemsByName[state.name] || NO_PROBLEMS;
    const position = offsetOf(state);
    if (
      old &&
      old.data.state === state &&
      sameCounts(old.data.problems, problems) &&
      old.data.readOnly === readOnly &&
      old.position.x === position.x &&
      old.position.y === position.y
    ) {
      return old;
    }
    return {
      id: state.name,
      type: 'widget',
      position,
      selected: old ? old.selected : selected.has(state.name),
      deletable: !readOnly && state.type !== 'trigger',
      initialWidth: nodeWidth(state),
      initialHeight: NODE_HEIGHT,
      handles: handlesOf(state),
      ...(old && old.measured ? { measured: old.measured } : {}),
      data: { state, problems, readOnly },
    };
  });
}

export function buildEdges(states, previous) {
  const names = new Set(states.map((s) => s.name));
  const before = new Map(previous.map((e) => [e.id, e]));
  const edges = [];
  for (const state of states) {
    (state.transitions || []).forEach((t, index) => {
      if (!t.next || !names.has(t.next)) return;
      const id = `${state.name}:${index}`;
      const old = before.get(id);
      if (old && old.target === t.next) {
        edges.push(old);
        return;
      }
      edges.push({
        id,
        source: state.name,
        sourceHandle: String(index),
        target: t.next,
        targetHandle: 'in',
        selected: old ? old.selected : false,
      });
    });
  }
  return edges;
}
