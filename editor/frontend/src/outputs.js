// A widget's outputs as the canvas draws them. Studio's canvas shows every event of a widget
// type, whatever its JSON lists; an export may list fewer (a Send Message with
// "transitions": [], a Connect Call To without `hangup`). The document keeps what was
// imported; the canvas draws an unwired output for each event it lacks, after its own
// transitions, and connecting one adds the missing events to the widget.

const drawnStates = new WeakMap();

/** The events of `state`'s type it has no transition for; never a repeatable one (match). */
export function missingEvents(state, def) {
  const repeatable = new Set(def.repeatable_events || []);
  const present = new Set((state.transitions || []).map((t) => t.event));
  return (def.events || []).filter((event) => !repeatable.has(event) && !present.has(event));
}

/**
 * The state with an unwired transition appended for each missing event; the same object when
 * none is missing, and the same drawn object for the same state (React Flow keeps its node).
 */
export function withAllOutputs(state, def) {
  if (drawnStates.has(state)) return drawnStates.get(state);
  const missing = missingEvents(state, def);
  const drawn = missing.length ? { ...state, transitions: [...(state.transitions || []), ...missing.map((event) => ({ event }))] } : state;
  drawnStates.set(state, drawn);
  return drawn;
}

/**
 * The edit operations that point output `index` of `state` (as drawn) at `next`: a `connect`
 * for a transition of the document; for a drawn output of a missing event, an `update_widget`
 * giving the widget every missing event (the one connected wired), in the order drawn, so
 * each output keeps its place. Unwiring an output the document lacks changes nothing.
 */
export function connectOps(state, def, index, next) {
  const transitions = state.transitions || [];
  if (index < transitions.length) return [{ op: 'connect', name: state.name, index, next }];
  const missing = missingEvents(state, def);
  const event = missing[index - transitions.length];
  if (event === undefined || !next) return [];
  const added = missing.map((e) => (e === event ? { event: e, next } : { event: e }));
  return [{ op: 'update_widget', name: state.name, transitions: [...transitions, ...added] }];
}
