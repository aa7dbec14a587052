// Tidy-up's layout: dagre's top-to-bottom layers, then each layer ordered after the outputs
// that lead to it. Dagre knows nothing of a widget's outputs (it draws a split's children in
// whatever order its crossing count ties leave, often reversed), so the widget a split's
// first output leads to could end up on the right and every transition cross. Pure: the
// caller gives each widget's width (WidgetNode.jsx's nodeWidth).
import dagre from '@dagrejs/dagre';

const HEIGHT = 96;
const NODE_SEP = 40;

/** {name: {x, y}}: the top left corner of every widget, laid out. */
export function tidyOffsets(states, widthOf) {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: NODE_SEP, ranksep: 80, marginx: 40, marginy: 40 });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set(states.map((s) => s.name));
  for (const s of states) graph.setNode(s.name, { width: widthOf(s), height: HEIGHT });
  for (const s of states) {
    for (const t of s.transitions || []) if (t.next && names.has(t.next)) graph.setEdge(s.name, t.next);
  }
  dagre.layout(graph);
  const boxes = {};
  for (const s of states) {
    const n = graph.node(s.name);
    boxes[s.name] = { x: n.x - n.width / 2, y: n.y - n.height / 2, w: n.width };
  }
  orderLayers(states, boxes);
  const offsets = {};
  for (const s of states) offsets[s.name] = { x: Math.round(boxes[s.name].x), y: Math.round(boxes[s.name].y) };
  return offsets;
}

/** Where a widget is led to from: the mean x of the outputs above it that lead to it. */
function pullOf(name, states, boxes, above) {
  const xs = [];
  for (const s of states) {
    if (!above.has(s.name)) continue;
    const outputs = s.transitions || [];
    outputs.forEach((t, i) => {
      if (t.next === name) xs.push(boxes[s.name].x + (boxes[s.name].w * (i + 0.5)) / outputs.length);
    });
  }
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

/** Reorders each layer, top down, after its widgets' pull; they take the layer's places. */
function orderLayers(states, boxes) {
  const layers = new Map();
  for (const s of states) {
    const y = Math.round(boxes[s.name].y);
    if (!layers.has(y)) layers.set(y, []);
    layers.get(y).push(s.name);
  }
  const above = new Set();
  for (const y of [...layers.keys()].sort((a, b) => a - b)) {
    const layer = layers.get(y).sort((a, b) => boxes[a].x - boxes[b].x);
    const centres = layer.map((n) => boxes[n].x + boxes[n].w / 2);
    const pull = (n, i) => pullOf(n, states, boxes, above) ?? centres[i];
    const keyed = layer.map((n, i) => ({ n, key: pull(n, i), i }));
    keyed.sort((a, b) => a.key - b.key || a.i - b.i);
    let right = -Infinity;
    keyed.forEach(({ n }, i) => {
      const box = boxes[n];
      box.x = Math.max(centres[i] - box.w / 2, right + NODE_SEP);
      right = box.x + box.w;
    });
    for (const n of layer) above.add(n);
  }
}
