// Tidy-up: a top-to-bottom layered layout with dagre, returned as one move_widgets op.
import dagre from '@dagrejs/dagre';
import { nodeWidth } from './components/WidgetNode.jsx';

const HEIGHT = 96;

export function tidyOps(states) {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 80, marginx: 40, marginy: 40 });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set(states.map((s) => s.name));
  for (const s of states) graph.setNode(s.name, { width: nodeWidth(s), height: HEIGHT });
  for (const s of states) {
    for (const t of s.transitions || []) if (t.next && names.has(t.next)) graph.setEdge(s.name, t.next);
  }
  dagre.layout(graph);
  const offsets = {};
  for (const s of states) {
    const n = graph.node(s.name);
    offsets[s.name] = { x: Math.round(n.x - n.width / 2), y: Math.round(n.y - n.height / 2) };
  }
  return [{ op: 'move_widgets', offsets }];
}
