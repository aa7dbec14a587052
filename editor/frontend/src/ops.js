// The edit operations of editor/flowspec/edits.py applied to the local copy of the document
// (optimistic updates), and their inverses (undo sends the inverse as a new versioned edit).
// A document here is Studio JSON: {description, states, initial_state, flags, ...}.

const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

function findIndex(doc, name) {
  return doc.states.findIndex((s) => s.name === name);
}

function replaceState(doc, index, state) {
  const states = doc.states.slice();
  states[index] = state;
  return { ...doc, states };
}

function withOffset(state, offset) {
  return { ...state, properties: { ...(state.properties || {}), offset: { ...offset } } };
}

const apply = {
  add_widget(doc, op) {
    const state = clone(op.state);
    state.transitions = state.transitions || [];
    state.properties = state.properties || {};
    return { ...doc, states: [...doc.states, state] };
  },
  update_widget(doc, op) {
    const index = findIndex(doc, op.name);
    if (index < 0) return doc;
    let state = { ...doc.states[index] };
    const offset = state.properties && state.properties.offset;
    if ('properties' in op) {
      state.properties = { ...clone(op.properties) };
      delete state.properties.offset;
      if (offset) state.properties.offset = offset;
    }
    if ('transitions' in op) state.transitions = clone(op.transitions);
    if ('offset' in op) state = withOffset(state, op.offset);
    return replaceState(doc, index, state);
  },
  move_widgets(doc, op) {
    const states = doc.states.map((s) =>
      op.offsets[s.name]
        ? withOffset(s, { x: Math.round(op.offsets[s.name].x), y: Math.round(op.offsets[s.name].y) })
        : s,
    );
    return { ...doc, states };
  },
  connect(doc, op) {
    const index = findIndex(doc, op.name);
    if (index < 0) return doc;
    const state = doc.states[index];
    const transitions = state.transitions.map((t, i) => {
      if (i !== op.index) return t;
      const copy = { ...t };
      if (op.next == null) delete copy.next;
      else copy.next = op.next;
      return copy;
    });
    return replaceState(doc, index, { ...state, transitions });
  },
  delete_widgets(doc, op) {
    const doomed = new Set(op.names);
    const states = doc.states
      .filter((s) => !doomed.has(s.name))
      .map((s) =>
        s.transitions.some((t) => doomed.has(t.next))
          ? {
              ...s,
              transitions: s.transitions.map((t) => {
                if (!doomed.has(t.next)) return t;
                const copy = { ...t };
                delete copy.next;
                return copy;
              }),
            }
          : s,
      );
    return { ...doc, states };
  },
  rename_widget(doc, op) {
    // Transitions only; the server also rewrites Liquid, and the page reloads after it.
    const states = doc.states.map((s) => ({
      ...s,
      name: s.name === op.name ? op.new_name : s.name,
      transitions: s.transitions.map((t) => (t.next === op.name ? { ...t, next: op.new_name } : t)),
    }));
    const initial = doc.initial_state === op.name ? op.new_name : doc.initial_state;
    return { ...doc, states, initial_state: initial };
  },
  update_flow(doc, op) {
    const next = { ...doc };
    if ('description' in op) next.description = op.description;
    if ('allow_concurrent_calls' in op) {
      next.flags = { ...(doc.flags || {}), allow_concurrent_calls: op.allow_concurrent_calls };
    }
    return next;
  },
};

export function applyOps(doc, ops) {
  return ops.reduce((current, op) => (apply[op.op] ? apply[op.op](current, op) : current), doc);
}

function offsetOf(state) {
  const offset = (state.properties && state.properties.offset) || { x: 0, y: 0 };
  return { x: offset.x || 0, y: offset.y || 0 };
}

const inverse = {
  add_widget: (doc, op) => [{ op: 'delete_widgets', names: [op.state.name] }],
  update_widget(doc, op) {
    const state = doc.states[findIndex(doc, op.name)];
    if (!state) return [];
    const back = { op: 'update_widget', name: op.name };
    if ('properties' in op) back.properties = clone(state.properties || {});
    if ('transitions' in op) back.transitions = clone(state.transitions);
    if ('offset' in op) back.offset = offsetOf(state);
    return [back];
  },
  move_widgets(doc, op) {
    const offsets = {};
    for (const name of Object.keys(op.offsets)) {
      const state = doc.states[findIndex(doc, name)];
      if (state) offsets[name] = offsetOf(state);
    }
    return [{ op: 'move_widgets', offsets }];
  },
  connect(doc, op) {
    const state = doc.states[findIndex(doc, op.name)];
    const old = state && state.transitions[op.index];
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

/** The ops that undo `ops` when applied to the document that results from them. */
export function inverseOps(doc, ops) {
  let current = doc;
  const steps = [];
  for (const op of ops) {
    steps.push(inverse[op.op] ? inverse[op.op](current, op) : []);
    current = apply[op.op] ? apply[op.op](current, op) : current;
  }
  return steps.reverse().flat();
}
