// What a test run shows on the canvas: the current widget, the widgets and transitions the
// run went through, the waiting widget's badge, the last transition taken and a widget
// chosen in the panel. Nodes and edges the run does not touch keep their identity, so React
// Flow re-renders only the decorated ones.

import { currentWidget, edgeOfStep, stepsOf, visitedWidgets, waitLabel } from './transcript.js';

/** The overlay of `run` on `states`, or null when there is nothing to show. */
export function runOverlay(run, states, focused) {
  const execution = run && run.execution;
  if (!execution) return focused ? { focused, visited: new Set(), pathEdges: new Set() } : null;
  // A subflow's steps belong to another flow's canvas.
  const all = stepsOf(run.entries);
  const own = (s) => !s.flow_sid || s.flow_sid === execution.flow_sid;
  const steps = all.filter(own);
  const last = steps[steps.length - 1];
  const wait = execution.status === 'active' ? execution.wait : null;
  // Waiting inside a subflow (its last step is the subflow's): the wait's widget is on the
  // subflow's canvas, so this one shows its Run Subflow widget waiting, and for what.
  const host = wait && all.length && !own(all[all.length - 1]) && last && last.to !== 'Ended' ? last.to : null;
  return {
    current: host || currentWidget(execution, steps),
    visited: visitedWidgets(steps),
    pathEdges: new Set(steps.map((s) => edgeOfStep(states, s)).filter(Boolean)),
    lastEdge: last ? { id: edgeOfStep(states, last), seq: last.seq } : null,
    waiting: wait ? { widget: host || wait.widget, label: host ? `in subflow, ${wait.widget} ${waitLabel(wait)}` : waitLabel(wait) } : null,
    paused: wait && wait.kind === 'pause' ? wait.widget : null,
    focused,
  };
}

export function decorateNodes(nodes, overlay) {
  if (!overlay) return nodes;
  return nodes.map((node) => {
    const name = node.id;
    const classes = [];
    if (overlay.visited.has(name)) classes.push('run-visited');
    if (overlay.current === name) classes.push('run-current');
    if (overlay.focused === name) classes.push('run-focused');
    if (overlay.failed === name) classes.push('run-failed');
    if (overlay.paused === name) classes.push('run-paused');
    const badge = overlay.waiting && overlay.waiting.widget === name ? overlay.waiting.label : '';
    if (!classes.length && !badge) return node;
    return { ...node, data: { ...node.data, run: { classes: classes.join(' '), badge } } };
  });
}

export function decorateEdges(edges, overlay, flashing) {
  if (!overlay) return edges;
  return edges.map((edge) => {
    const taken = edge.id === flashing;
    if (!taken && !overlay.pathEdges.has(edge.id)) return edge;
    return { ...edge, className: taken ? 'run-path run-taken' : 'run-path', animated: taken };
  });
}
