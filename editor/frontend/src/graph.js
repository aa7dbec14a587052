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

/**
 * Nodes for `states`, reusing the previous node object when nothing it shows changed, so
 * React Flow and memoised widgets skip untouched nodes (this matters at 1,000 widgets).
 */
export function buildNodes(states, previous, problemsByName, readOnly) {
  const before = new Map(previous.map((n) => [n.id, n]));
  return states.map((state) => {
    const old = before.get(state.name);
    const problems = problemsByName[state.name] || 0;
    const position = offsetOf(state);
    if (
      old &&
      old.data.state === state &&
      old.data.problems === problems &&
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
      selected: old ? old.selected : false,
      deletable: !readOnly && state.type !== 'trigger',
      initialWidth: nodeWidth(state),
      initialHeight: NODE_HEIGHT,
      handles: handlesOf(state),
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

/** `#/states/3/properties/body` → {index: 3, field: 'body'}; null for flow-level problems. */
export function parseProblemPath(path) {
  const match = /^#\/states\/(\d+)(?:\/(\w+)(?:\/([^/]+))?)?/.exec(path || '');
  if (!match) return null;
  return { index: Number(match[1]), part: match[2] || '', field: match[3] || '' };
}

export function locateProblems(problems, states) {
  return (problems || []).map((p) => {
    const where = parseProblemPath(p.property_path);
    const state = where ? states[where.index] : null;
    return {
      ...p,
      widget: state ? state.name : null,
      field: where && where.part === 'properties' ? where.field : where ? where.part : '',
    };
  });
}
