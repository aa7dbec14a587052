// The edit operations of editor/flowspec/edits.py on the local copy of the document
// (optimistic edits, and re-applying pending edits on top of others' changes), and their
// inverses (undo sends the inverse as a new edit). A document is Studio JSON:
// {description, states, initial_state, flags, ...}. An operation that cannot apply throws
// EditRefused with the server's own message; tests/data/edits/*.json holds the cases both
// sides run (tests/ops.test.js and tests/test_edit_cases.py).

export class EditRefused extends Error {}

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
export const RESERVED_NAMES = new Set(['Ended']);

/** Python's repr() of a name or index, as the server's messages show it. */
const repr = (value) => (typeof value === 'string' ? `'${value}'` : value === undefined || value === null ? 'None' : String(value));

function findIndex(doc, name) {
  const index = doc.states.findIndex((s) => s.name === name);
  if (index < 0) throw new EditRefused(`There is no widget named ${name}`);
  return index;
}

function replaceState(doc, index, state) {
  const states = doc.states.slice();
  states[index] = state;
  return { ...doc, states };
}

function checkNewName(doc, name) {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || RESERVED_NAMES.has(name)) {
    throw new EditRefused(`${repr(name)} is not a widget name: start with a letter, then letters, digits, _ or -`);
  }
  if (name.length > 100) throw new EditRefused('Widget names are at most 100 characters');
  if (doc.states.some((s) => s.name === name)) throw new EditRefused(`There is already a widget named ${name}`);
  return name;
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x) {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function checkedOffset(offset) {
  if (!isObject(offset)) throw new EditRefused('An offset is {x, y}');
  const x = typeof offset.x === 'string' ? Number(offset.x.trim() || NaN) : offset.x;
  const y = typeof offset.y === 'string' ? Number(offset.y.trim() || NaN) : offset.y;
  if (![x, y].every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new EditRefused('An offset is {x, y} with finite numbers');
  }
  return { ...offset, x: roundHalfEven(x), y: roundHalfEven(y) };
}

function checkedTransitions(transitions) {
  if (!Array.isArray(transitions) || !transitions.every((t) => isObject(t) && typeof t.event === 'string')) {
    throw new EditRefused('transitions must be a list of {event, next?, conditions?}');
  }
  // An unwired transition has no `next` (null and "" mean the same; Studio omits the key).
  return transitions.map((t) => {
    const copy = clone(t);
    if (copy.next === null || copy.next === '') delete copy.next;
    return copy;
  });
}

function withOffset(state, offset) {
  return { ...state, properties: { ...(state.properties || {}), offset } };
}

/** Rewrites `widgets.OLD` and `widgets["OLD"]` in every string of a JSON value (edits.py). */
export function referenceRewriter(old, renamed) {
  const escaped = old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const dotted = new RegExp(`(?<![\\w-])widgets\\s*\\.\\s*${escaped}(?![\\w-])`, 'g');
  const bracketed = new RegExp(`(?<![\\w-])widgets\\s*\\[\\s*(['"])${escaped}\\1\\s*\\]`, 'g');
  const rewrite = (value) => {
    if (typeof value === 'string') {
      if (!value.includes(old)) return value;
      return value.replace(dotted, () => `widgets.${renamed}`).replace(bracketed, (m, quote) => `widgets[${quote}${renamed}${quote}]`);
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  return rewrite;
}

/** The widgets whose Liquid refers to `name`, which its rename rewrites (by their names after it). */
export function referrers(states, name, newName) {
  const rewrite = referenceRewriter(name, newName);
  const liquid = (s) => ({ properties: s.properties, transitions: s.transitions });
  const changed = (s) => JSON.stringify(rewrite(liquid(s))) !== JSON.stringify(liquid(s));
  return states.filter(changed).map((s) => (s.name === name ? newName : s.name));
}

const apply = {
  add_widget(doc, op) {
    const state = clone(op.state);
    if (!isObject(state) || typeof state.type !== 'string') throw new EditRefused('add_widget needs a state with a type');
    checkNewName(doc, state.name);
    if (state.type === 'trigger') throw new EditRefused('A flow has exactly one Trigger');
    state.transitions = checkedTransitions(state.transitions ?? []);
    state.properties = state.properties ?? {};
    if (!isObject(state.properties)) throw new EditRefused('properties must be an object');
    if ('offset' in state.properties) state.properties.offset = checkedOffset(state.properties.offset);
    return { ...doc, states: [...doc.states, state] };
  },
  set_properties(doc, op) {
    const index = findIndex(doc, op.name);
    const set = 'set' in op ? op.set : {};
    const unset = 'unset' in op ? op.unset : [];
    if (!isObject(set) || !Array.isArray(unset)) throw new EditRefused('set_properties needs `set` (an object) and `unset` (a list)');
    if ('offset' in set || unset.includes('offset')) throw new EditRefused('The offset is moved with move_widgets');
    const state = doc.states[index];
    const properties = { ...(state.properties || {}) };
    for (const key of unset) delete properties[key];
    for (const [key, value] of Object.entries(set)) properties[key] = clone(value);
    return replaceState(doc, index, { ...state, properties });
  },
  update_widget(doc, op) {
    const index = findIndex(doc, op.name);
    let state = { ...doc.states[index] };
    const offset = state.properties && state.properties.offset;
    if ('properties' in op) {
      if (!isObject(op.properties)) throw new EditRefused('properties must be an object');
      // The offset is kept apart: only move_widgets and `offset` move a widget.
      const properties = clone(op.properties);
      delete properties.offset;
      if (offset) properties.offset = offset;
      state.properties = properties;
    }
    if ('transitions' in op) state.transitions = checkedTransitions(op.transitions);
    if ('offset' in op) state = withOffset(state, checkedOffset(op.offset));
    return replaceState(doc, index, state);
  },
  move_widgets(doc, op) {
    if (!isObject(op.offsets)) throw new EditRefused('move_widgets needs offsets by widget name');
    let next = doc;
    for (const [name, offset] of Object.entries(op.offsets)) {
      const index = findIndex(next, name);
      next = replaceState(next, index, withOffset(next.states[index], checkedOffset(offset)));
    }
    return next;
  },
  connect(doc, op) {
    const index = findIndex(doc, op.name);
    const state = doc.states[index];
    const at = op.index;
    if (!Number.isInteger(at) || at < 0 || at >= state.transitions.length) {
      throw new EditRefused(`${state.name} has no transition ${repr(at)}`);
    }
    const transition = { ...state.transitions[at] };
    if (op.next == null) delete transition.next;
    else {
      findIndex(doc, op.next);
      if (op.next === state.name && state.type === 'trigger') throw new EditRefused('The Trigger cannot lead to itself');
      transition.next = op.next;
    }
    const transitions = state.transitions.map((t, i) => (i === at ? transition : t));
    return replaceState(doc, index, { ...state, transitions });
  },
  delete_widgets(doc, op) {
    if (!Array.isArray(op.names)) throw new EditRefused('delete_widgets needs a list of names');
    const doomed = new Set(op.names.map((n) => doc.states[findIndex(doc, n)].name));
    if (doc.states.some((s) => doomed.has(s.name) && s.type === 'trigger')) throw new EditRefused('The Trigger cannot be deleted');
    const unwire = (t) => {
      if (!doomed.has(t.next)) return t;
      const copy = { ...t };
      delete copy.next;
      return copy;
    };
    const states = doc.states
      .filter((s) => !doomed.has(s.name))
      .map((s) => (s.transitions.some((t) => doomed.has(t.next)) ? { ...s, transitions: s.transitions.map(unwire) } : s));
    return { ...doc, states };
  },
  rename_widget(doc, op) {
    const old = doc.states[findIndex(doc, op.name)];
    const renamed = checkNewName(doc, op.new_name);
    if (old.type === 'trigger') throw new EditRefused('The Trigger keeps its name');
    const rewrite = referenceRewriter(old.name, renamed);
    const states = doc.states.map((s) => {
      const next = {
        ...s,
        name: s.name === old.name ? renamed : s.name,
        transitions: s.transitions.map((t) =>
          Object.fromEntries(Object.entries(t).map(([k, v]) => [k, k === 'next' && v === old.name ? renamed : rewrite(v)])),
        ),
      };
      if (s.properties) next.properties = rewrite(s.properties);
      return next;
    });
    const initial = doc.initial_state === old.name ? renamed : doc.initial_state;
    return { ...doc, states, ...(initial === undefined ? {} : { initial_state: initial }) };
  },
  update_flow(doc, op) {
    const next = { ...doc };
    if ('description' in op) {
      if (typeof op.description !== 'string') throw new EditRefused('description must be text');
      next.description = op.description;
    }
    if ('allow_concurrent_calls' in op) {
      if (typeof op.allow_concurrent_calls !== 'boolean') throw new EditRefused('allow_concurrent_calls must be true or false');
      const flags = isObject(doc.flags) ? doc.flags : {};
      next.flags = { ...flags, allow_concurrent_calls: op.allow_concurrent_calls };
    }
    return next;
  },
};

/** One operation applied to `doc` (a new document; `doc` is not changed). Throws EditRefused. */
export function applyOp(doc, op) {
  const kind = isObject(op) ? op.op : undefined;
  if (typeof kind !== 'string' || !Object.hasOwn(apply, kind)) throw new EditRefused(`Unknown operation ${repr(kind)}`);
  return apply[kind](doc, op);
}

/** A whole edit: every operation applies, or EditRefused is thrown (as on the server). */
export function applyOps(doc, ops) {
  if (!Array.isArray(ops) || !ops.length) throw new EditRefused('An edit is a non-empty list of operations');
  return ops.reduce(applyOp, doc);
}

/** The operations that apply, in order; the others are skipped and listed with why. */
export function applyWhatApplies(doc, ops) {
  const failed = [];
  let current = doc;
  ops.forEach((op, index) => {
    try {
      current = applyOp(current, op);
    } catch (error) {
      if (!(error instanceof EditRefused)) throw error;
      failed.push({ index, op, reason: error.message });
    }
  });
  return { doc: current, failed };
}

function offsetOf(state) {
  const offset = (state.properties && state.properties.offset) || { x: 0, y: 0 };
  return { x: offset.x || 0, y: offset.y || 0 };
}

const stateNamed = (doc, name) => doc.states.find((s) => s.name === name);

const inverse = {
  add_widget: (doc, op) => [{ op: 'delete_widgets', names: [op.state.name] }],
  set_properties(doc, op) {
    const properties = (stateNamed(doc, op.name) || {}).properties || {};
    const back = { op: 'set_properties', name: op.name, set: {}, unset: [] };
    for (const key of [...Object.keys(op.set || {}), ...(op.unset || [])]) {
      if (key in properties) back.set[key] = clone(properties[key]);
      else if (!back.unset.includes(key)) back.unset.push(key);
    }
    return [back];
  },
  update_widget(doc, op) {
    const state = stateNamed(doc, op.name);
    const back = { op: 'update_widget', name: op.name };
    if ('properties' in op) back.properties = clone(state.properties || {});
    if ('transitions' in op) back.transitions = clone(state.transitions);
    if ('offset' in op) back.offset = offsetOf(state);
    return [back];
  },
  move_widgets(doc, op) {
    const offsets = {};
    for (const name of Object.keys(op.offsets)) offsets[name] = offsetOf(stateNamed(doc, name));
    return [{ op: 'move_widgets', offsets }];
  },
  connect(doc, op) {
    const old = stateNamed(doc, op.name).transitions[op.index];
    return [{ op: 'connect', name: op.name, index: op.index, next: (old && old.next) || null }];
  },
  delete_widgets(doc, op) {
    const doomed = new Set(op.names);
    const restore = doc.states.filter((s) => doomed.has(s.name)).map((s) => ({ op: 'add_widget', state: clone(s) }));
    const rewire = [];
    for (const s of doc.states) {
      if (doomed.has(s.name)) continue;
      s.transitions.forEach((t, index) => {
        if (doomed.has(t.next)) rewire.push({ op: 'connect', name: s.name, index, next: t.next });
      });
    }
    return [...restore, ...rewire];
  },
  rename_widget: (doc, op) => [{ op: 'rename_widget', name: op.new_name, new_name: op.name }],
  update_flow(doc, op) {
    const back = { op: 'update_flow' };
    if ('description' in op) back.description = doc.description || '';
    if ('allow_concurrent_calls' in op) back.allow_concurrent_calls = Boolean(doc.flags && doc.flags.allow_concurrent_calls);
    return [back];
  },
};

/**
 * The operations that undo `ops` (which must apply to `doc`), to be applied to the document
 * that results from them. Throws EditRefused when `ops` do not apply.
 */
export function inverseOps(doc, ops) {
  let current = doc;
  const steps = [];
  for (const op of ops) {
    const before = current;
    current = applyOp(current, op);
    steps.push(inverse[op.op](before, op));
  }
  return steps.reverse().flat();
}
