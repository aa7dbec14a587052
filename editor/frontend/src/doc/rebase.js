// The rebasing rules of editor/flowspec/rebase.py (docs/protocol.md, "Concurrent edits"),
// used on edits not yet sent: an operation touching a field that a change applied since
// touched is dropped (the change that reached the server first wins), and references to a
// widget renamed since follow the new name. The server applies the same rules to the edit
// in flight, so what the canvas shows is what the server will keep.

export const EVERYTHING = '*';

/** The fields an operation writes, as paths: NAME, NAME/properties/KEY, flow/description… */
export function touched(op) {
  const name = String(op.name ?? '');
  switch (op.op) {
    case 'add_widget':
      return [String((op.state && op.state.name) ?? '')];
    case 'set_properties':
      return [...Object.keys(op.set || {}), ...(op.unset || [])].map((key) => `${name}/properties/${key}`);
    case 'update_widget':
      return ['properties', 'transitions', 'offset'].filter((part) => part in op).map((part) => `${name}/${part}`);
    case 'move_widgets':
      return Object.keys(op.offsets || {}).map((moved) => `${moved}/offset`);
    case 'connect':
      return [`${name}/transitions/${op.index}`];
    case 'rename_widget':
      return [`${name}/name`];
    case 'delete_widgets':
      return (op.names || []).map(String);
    case 'update_flow':
      return ['description', 'allow_concurrent_calls'].filter((key) => key in op).map((key) => `flow/${key}`);
    default:
      return [EVERYTHING];
  }
}

export function conflicts(a, b) {
  if (a === EVERYTHING || b === EVERYTHING) return true;
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** The widgets an operation points a transition at. */
function targets(op) {
  if (op.op === 'connect') return typeof op.next === 'string' ? [op.next] : [];
  const transitions = op.op === 'add_widget' ? op.state && op.state.transitions : op.op === 'update_widget' ? op.transitions : null;
  return Array.isArray(transitions) ? transitions.map((t) => t && t.next).filter((n) => typeof n === 'string') : [];
}

/**
 * What the changes since an edit was made did: fields touched (and by whom), renames.
 * With `incoming` (undo and redo, history.js), a transition someone else pointed at a widget
 * also touches `NAME/incoming`, which taking that widget away (an undone add) conflicts
 * with: the undo would delete their new connection with it.
 */
export class Since {
  constructor({ incoming = false } = {}) {
    this.touches = new Map(); // field -> {who, kind}
    this.renames = []; // [old, new], oldest first
    this.incoming = incoming;
  }

  /** A change's operations (null: it replaced the whole document); `conflicting` false
   * for one's own changes, which are followed (renames) but never conflict. */
  add(ops, who, { conflicting = true } = {}) {
    if (ops === null) {
      if (conflicting) this.touches.set(EVERYTHING, { who, kind: 'replace' });
      return;
    }
    for (const op of ops) {
      if (conflicting) for (const path of touched(op)) this.touches.set(path, { who, kind: op.op });
      if (conflicting && this.incoming) for (const next of targets(op)) this.touches.set(`${next}/incoming`, { who, kind: 'incoming' });
      if (op.op !== 'rename_widget') continue;
      const [old, renamed] = [String(op.name), String(op.new_name)];
      this.renames.push([old, renamed]);
      // The renamed widget's fields are the same fields under its new name.
      for (const [path, by] of [...this.touches]) {
        if (path === old || path.startsWith(`${old}/`)) this.touches.set(renamed + path.slice(old.length), by);
      }
    }
  }

  currentName(name) {
    for (const [old, renamed] of this.renames) if (name === old) name = renamed;
    return name;
  }

  /** The first of `paths` that a change since touched: {path, who, kind}, or null. */
  clash(paths) {
    for (const path of paths) {
      for (const [other, { who, kind }] of this.touches) if (conflicts(path, other)) return { path, who, kind };
    }
    return null;
  }
}

/** The operation with every widget it names under its current name. */
export function renamed(op, since) {
  if (!since.renames.length) return op;
  const now = (n) => since.currentName(n);
  const out = JSON.parse(JSON.stringify(op));
  if (typeof out.name === 'string') out.name = now(out.name);
  if (typeof out.next === 'string') out.next = now(out.next);
  if (Array.isArray(out.names)) out.names = out.names.map((n) => (typeof n === 'string' ? now(n) : n));
  if (out.offsets && typeof out.offsets === 'object') {
    out.offsets = Object.fromEntries(Object.entries(out.offsets).map(([n, o]) => [now(n), o]));
  }
  for (const holder of [out, out.state && typeof out.state === 'object' ? out.state : {}]) {
    if (Array.isArray(holder.transitions)) {
      holder.transitions = holder.transitions.map((t) => (t && typeof t.next === 'string' ? { ...t, next: now(t.next) } : t));
    }
  }
  return out;
}

const REASONS = {
  delete_widgets: (who, path) => `${who} deleted ${path.split('/')[0]} meanwhile`,
  add_widget: (who, path) => `${who} added a widget named ${path.split('/')[0]} meanwhile`,
  incoming: (who, path) => `${who} connected a transition to ${path.split('/')[0]} meanwhile`,
  replace: (who) => `${who} replaced the whole flow meanwhile`,
};

/** rebase.py `free_name`: the name's prefix and the smallest free number. */
export function freeNameFor(name, taken) {
  const stem = name.replace(/[0-9]+$/, '');
  const prefix = stem.endsWith('_') ? stem : `${stem}_`;
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n += 1;
  return `${prefix}${n}`;
}

/**
 * The operation without the parts that write the fields in `lost`, or null when nothing of it
 * is left (rebase.py `narrowed`): a move, a delete or a set of properties writes each widget
 * or key apart, so one of them lost to someone else's change leaves the others standing.
 */
export function narrowed(op, lost) {
  const gone = (path) => lost.some((field) => conflicts(path, field));
  if (op.op === 'move_widgets' && op.offsets && typeof op.offsets === 'object') {
    const offsets = Object.fromEntries(Object.entries(op.offsets).filter(([n]) => !gone(`${n}/offset`)));
    return Object.keys(offsets).length ? { ...op, offsets } : null;
  }
  if (op.op === 'delete_widgets' && Array.isArray(op.names)) {
    const names = op.names.filter((n) => !gone(String(n)));
    return names.length ? { ...op, names } : null;
  }
  if (op.op === 'set_properties') {
    const key = (k) => `${op.name}/properties/${k}`;
    const set = Object.fromEntries(Object.entries(op.set || {}).filter(([k]) => !gone(key(k))));
    const unset = (op.unset || []).filter((k) => !gone(key(k)));
    return Object.keys(set).length || unset.length ? { ...op, set, unset } : null;
  }
  return touched(op).some(gone) ? null : op;
}

/**
 * {kept, dropped}: the operations that still apply (renamed) and those dropped, with why.
 * With `own` ({taken: Set of the names in the flow now and in the edits not confirmed,
 * since: a Since of renames}, shared by the edits of one page), a widget added under a name
 * someone else's new widget took meanwhile gets a free name instead, as the server does
 * (rebase.py), and what follows it in this page's edits follows the new name.
 */
export function rebase(ops, since, own = null) {
  const kept = [];
  const dropped = [];
  // The edit's new widgets are renamed first, all of them, so that a transition pointing at
  // one added later in the edit (a pasted fragment's) follows it too.
  const fresh = new Map();
  for (const op of own ? ops : []) {
    const current = renamed(op, since);
    const path = current.op === 'add_widget' ? touched(current)[0] : null;
    const clash = path === null ? null : since.clash([path]);
    if (!clash || clash.kind !== 'add_widget' || clash.path !== path) continue;
    const name = freeNameFor(path, own.taken);
    own.taken.add(name);
    own.since.renames.push([path, name]);
    fresh.set(path, name);
  }
  ops.forEach((op, index) => {
    let current = own ? renamed(renamed(op, since), own.since) : renamed(op, since);
    if (current.op === 'add_widget' && fresh.has(touched(current)[0])) {
      current = { ...current, state: { ...current.state, name: fresh.get(touched(current)[0]) } };
    }
    const clashes = touched(current).map((path) => since.clash([path])).filter(Boolean);
    const rest = clashes.length ? narrowed(current, clashes.map((c) => c.path)) : current;
    if (rest) kept.push(rest);
    for (const { path, who, kind } of clashes) {
      const reason = (REASONS[kind] || ((w, p) => `${w} changed ${p} first`))(who || 'someone', path);
      dropped.push({ index, op, field: path, reason, by: who });
    }
  });
  return { kept, dropped };
}

/** The value a field holds in `doc` now (what won a conflict), or null. */
export function valueAt(doc, path) {
  if (path === EVERYTHING || !doc) return null;
  const [head, part, key] = path.split('/');
  if (head === 'flow') return part === 'description' ? doc.description ?? null : ((doc.flags || {})[part] ?? null);
  const state = doc.states.find((s) => s.name === head);
  if (!state || !part) return null;
  const properties = state.properties || {};
  if (part === 'properties') return key ? properties[key] ?? null : properties;
  if (part === 'offset') return properties.offset ?? null;
  if (part === 'transitions') return state.transitions[Number(key)] ?? null;
  return part === 'name' ? head : null;
}
