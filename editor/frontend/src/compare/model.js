// Compare mode's pure parts: the server's diff (GET …/diff, editor/flowspec/compare.py)
// turned into what the canvas draws. Both documents are shown at once: every widget of the
// newer side, and the removed ones (ghosted) where they were. Edges are the newer side's,
// those added marked, plus the removed ones drawn dashed.

export const STATUS_LABELS = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  moved: 'Moved',
  renamed: 'Renamed',
};

export const TAG_LABELS = {
  layout: 'layout',
  widgets: 'widgets',
  transitions: 'transitions',
  properties: 'properties',
  settings: 'settings',
};

const statesOf = (doc) => (doc && Array.isArray(doc.states) ? doc.states.filter((s) => s && typeof s.name === 'string') : []);

/** Old name → new name for widgets only renamed. */
export function renameMap(diff) {
  const map = {};
  for (const w of diff.widgets || []) if (w.status === 'renamed' && w.renamed_from) map[w.renamed_from] = w.name;
  return map;
}

/** The states to draw: the newer side's, then the removed ones at their old place. */
export function unionStates(before, after, diff) {
  const removed = new Set((diff.widgets || []).filter((w) => w.status === 'removed').map((w) => w.name));
  const current = statesOf(after);
  const names = new Set(current.map((s) => s.name));
  const ghosts = statesOf(before).filter((s) => removed.has(s.name) && !names.has(s.name));
  return [...current, ...ghosts];
}

/** name → the diff's entry for that widget (none: unchanged). */
export function widgetsByName(diff) {
  return Object.fromEntries((diff.widgets || []).map((w) => [w.name, w]));
}

/** The CSS class of a widget in compare mode ('' when unchanged). */
export function widgetClass(entry) {
  if (!entry) return '';
  const classes = [`cmp-${entry.status}`];
  if (entry.moved && entry.status !== 'moved') classes.push('cmp-moved-too');
  return classes.join(' ');
}

function handleOf(state, event, target) {
  const transitions = (state && state.transitions) || [];
  let index = transitions.findIndex((t) => t.event === event && t.next === target);
  if (index < 0) index = transitions.findIndex((t) => t.event === event && !t.next);
  if (index < 0) index = transitions.findIndex((t) => t.event === event);
  return index < 0 ? 0 : index;
}

/** React Flow edges for the union: the newer side's (added ones marked) and the removed. */
export function compareEdges(before, after, diff) {
  const shown = unionStates(before, after, diff);
  const byName = new Map(shown.map((s) => [s.name, s]));
  const oldByName = new Map(statesOf(before).map((s) => [s.name, s]));
  const added = {};
  for (const t of diff.transitions || []) {
    if (t.status !== 'added') continue;
    const key = `${t.from}\u0000${t.event}\u0000${t.to}`;
    added[key] = (added[key] || 0) + 1;
  }
  const edges = [];
  for (const state of statesOf(after)) {
    (state.transitions || []).forEach((t, index) => {
      if (!t.next || !byName.has(t.next)) return;
      const key = `${state.name}\u0000${t.event}\u0000${t.next}`;
      const isNew = added[key] > 0;
      if (isNew) added[key] -= 1;
      edges.push(edge(`${state.name}:${index}`, state.name, index, t.next, isNew ? 'added' : 'same'));
    });
  }
  const renamed = renameMap(diff);
  const gone = (diff.transitions || []).filter((t) => t.status === 'removed');
  gone.forEach((t, i) => {
    const source = renamed[t.from] || t.from;
    const target = renamed[t.to] || t.to;
    if (!byName.has(source) || !byName.has(target)) return;
    const index = handleOf(oldByName.get(t.from) || byName.get(source), t.event, t.to);
    edges.push(edge(`removed:${i}:${t.from}:${index}`, source, index, target, 'removed'));
  });
  return edges;
}

function edge(id, source, index, target, status) {
  const found = { id, source, sourceHandle: String(index), target, targetHandle: 'in', selectable: false, data: { compare: status } };
  if (status !== 'same') found.className = `cmp-edge-${status}`;
  return found;
}

/** Where each moved widget was: a dashed outline at its old offset. */
export function oldPositions(diff) {
  return (diff.widgets || [])
    .filter((w) => w.moved && w.old_offset && typeof w.old_offset === 'object')
    .map((w) => ({ name: w.name, x: Number(w.old_offset.x) || 0, y: Number(w.old_offset.y) || 0 }));
}

/**
 * The side that is not there: `published` on a flow never published (the server answers
 * it with no revision and an empty document, editor/api/compare.py). Null when both are.
 */
export function missingSide(response) {
  return ['from', 'to'].find((key) => response[key] && response[key].ref === 'published' && response[key].revision == null) || null;
}

const NO_DIFF = { widgets: [], transitions: [], settings: [], summary: [] };

/**
 * Everything compare mode draws, from one answer of GET …/diff. With a side missing there
 * is nothing to compare: the other side is drawn as it is, unmarked (every widget "added"
 * would say nothing true), and `missing` names the side.
 */
export function compareView(response) {
  const missing = missingSide(response);
  if (missing) {
    const shown = missing === 'from' ? response.after : response.before;
    return { ...compareView({ before: shown, after: shown, diff: NO_DIFF }), missing };
  }
  const { before, after, diff } = response;
  return {
    states: unionStates(before, after, diff),
    widgets: widgetsByName(diff),
    edges: compareEdges(before, after, diff),
    oldPositions: oldPositions(diff),
    counts: countByStatus(diff),
    summary: diff.summary || [],
    settings: diff.settings || [],
    missing: null,
  };
}

export function countByStatus(diff) {
  const counts = { added: 0, removed: 0, changed: 0, moved: 0, renamed: 0, transitions: (diff.transitions || []).length };
  for (const w of diff.widgets || []) counts[w.status] = (counts[w.status] || 0) + 1;
  return counts;
}

/** A change's value as text for the inspector: strings as they are, the rest as JSON. */
export function shownValue(value) {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** A revision reference as the diff API takes it: a number, 'published' or 'draft'. */
export function refLabel(ref, revisions) {
  if (ref === 'draft') return 'Draft (working copy)';
  if (ref === 'published') return 'Published';
  const found = (revisions || []).find((r) => String(r.revision) === String(ref));
  return found ? `Revision ${found.revision} (${found.status})` : `Revision ${ref}`;
}

/**
 * The canvas's nodes in compare mode: each widget carries its diff entry (WidgetNode
 * colours it), and a moved widget's old place is a dashed outline behind the nodes.
 */
export function compareNodes(nodes, view) {
  const widths = new Map(nodes.map((n) => [n.id, n.initialWidth]));
  const marked = nodes.map((n) => {
    const entry = view.widgets[n.id];
    const data = { ...n.data, compare: entry || null };
    return { ...n, data, deletable: false, draggable: false };
  });
  const markers = view.oldPositions.map((p) => ({
    id: `old-position:${p.name}`,
    type: 'oldpos',
    position: { x: p.x, y: p.y },
    selectable: false,
    draggable: false,
    deletable: false,
    focusable: false,
    zIndex: -1,
    initialWidth: widths.get(p.name) || 220,
    initialHeight: 84,
    data: { name: p.name, width: widths.get(p.name) || 220 },
  }));
  return [...markers, ...marked];
}
