// A watched execution as the panel holds it: the execution object, its entries in seq
// order without duplicates, and the highest seq up to which nothing is missing. Pure
// functions, so the merging rules of docs/protocol.md ("Watching") live in one place.

export const emptyRun = (sid) => ({ sid, execution: null, entries: [], lastSeq: 0 });

export function fromSnapshot(frame) {
  const entries = [...frame.entries].sort((a, b) => a.seq - b.seq);
  return { sid: frame.execution.sid, execution: frame.execution, entries, lastSeq: contiguous(entries, 0) };
}

/** The highest seq reachable from `after` without a hole. */
function contiguous(entries, after) {
  let last = after;
  for (const entry of entries) {
    if (entry.seq === last + 1) last = entry.seq;
    else if (entry.seq > last + 1) break;
  }
  return last;
}

/**
 * Applies a delta. Entries already held are dropped; entries after a hole are kept back
 * (the caller asks again with `after`), so `lastSeq` only ever covers a full transcript.
 * Returns {run, gap}: gap is true when something is missing.
 */
export function withDelta(run, frame) {
  const fresh = frame.entries.filter((e) => e.seq > run.lastSeq).sort((a, b) => a.seq - b.seq);
  const lastSeq = contiguous(fresh, run.lastSeq);
  const taken = fresh.filter((e) => e.seq <= lastSeq);
  const seen = new Set();
  const added = taken.filter((e) => !seen.has(e.seq) && seen.add(e.seq));
  const entries = added.length ? [...run.entries, ...added] : run.entries;
  const gap = lastSeq < (frame.execution.last_seq || 0);
  return { run: { ...run, execution: frame.execution, entries, lastSeq }, gap };
}

export const stepsOf = (entries) => entries.filter((e) => e.kind === 'step');

/**
 * For a step a subflow took (its flow_sid is not `flowSid`), the Run Subflow widget of this
 * flow that ran it: where the last of this flow's own steps before it went. Null for this
 * flow's own steps.
 */
export function subflowHost(steps, i, flowSid) {
  const own = (s) => !s.flow_sid || !flowSid || s.flow_sid === flowSid;
  if (own(steps[i])) return null;
  for (let j = i - 1; j >= 0; j -= 1) if (own(steps[j])) return steps[j].to;
  return null;
}

/**
 * The Run Subflow widget behind each step of `entries` a subflow took, by the step's seq:
 * the run's own flow is the one its first step (the Trigger's) belongs to.
 */
export function subflowHosts(entries) {
  const steps = stepsOf(entries);
  const root = steps.length ? steps[0].flow_sid : null;
  const hosts = new Map();
  steps.forEach((step, i) => {
    const host = subflowHost(steps, i, root);
    if (host) hosts.set(step.seq, host);
  });
  return hosts;
}

/**
 * Where the execution is: the waiting widget, else where the last step went; for an ended
 * run, the widget it ended in (so the canvas keeps showing where it stopped).
 */
export function currentWidget(execution, entries) {
  if (!execution) return null;
  if (execution.wait && execution.status === 'active') return execution.wait.widget;
  const steps = stepsOf(entries);
  const last = steps[steps.length - 1];
  if (!last) return null;
  return last.to !== 'Ended' ? last.to : last.from;
}

/** The widgets the run went through, including where it is. */
export function visitedWidgets(entries) {
  const names = new Set();
  for (const step of stepsOf(entries)) {
    names.add(step.from);
    if (step.to !== 'Ended') names.add(step.to);
  }
  return names;
}

/**
 * The canvas edge id ("name:index", see graph.js) of a step's transition: the transition of
 * `from` with the step's event that leads to `to` (a split has several `match`).
 */
export function edgeOfStep(states, step) {
  const state = states.find((s) => s.name === step.from);
  if (!state) return null;
  const transitions = state.transitions || [];
  let index = transitions.findIndex((t) => t.event === step.event && t.next === step.to);
  if (index < 0) index = transitions.findIndex((t) => t.event === step.event);
  return index < 0 ? null : `${step.from}:${index}`;
}

/**
 * Which wait this is: its widget and the seq of the instruction that began it (the engine
 * announces a wait's action as the wait begins, editor/engine/guards.py), so a Gather that
 * comes round again is a new wait, with nothing typed for the last one.
 */
export function waitKey(wait, entries) {
  if (!wait) return '';
  const began = entries.findLast((e) => e.kind === 'action' && e.widget === wait.widget);
  return began ? `${wait.widget}@${began.seq}` : wait.widget;
}

const timeOf = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '');

/** What a waiting widget waits for, in words, for its badge on the canvas. */
export function waitLabel(wait) {
  if (!wait) return '';
  let text;
  if (wait.kind === 'pause') return 'paused (debugger)';
  if (wait.kind === 'reply') text = 'waiting for reply';
  else if (wait.action && wait.action.verb === 'gather') text = 'waiting for call input';
  else text = `waiting for ${wait.events.join(', ') || 'an event'}`;
  return wait.timeout_at ? `${text} · times out ${timeOf(wait.timeout_at)}` : text;
}

const INPUT_LINES = {
  call: (e) => `Incoming call from ${e.from || 'the contact'}`,
  request: (e) => `REST API request, parameters ${JSON.stringify(e.parameters || {})}`,
  parent: (e) => `Started by a parent flow, parameters ${JSON.stringify(e.parameters || {})}`,
  // A callback that names no event: a Say/Play played through, the channel asked what next.
  event: (e) => (e.event ? `Event fired: ${e.event}` : 'The channel called back'),
  timeout: () => 'Timed out',
  hangup: () => 'The caller hung up',
  end: () => 'Ended from the panel or the API',
  expire: () => 'Expired',
};

/** An input entry that is not a bubble (docs/protocol.md, "The transcript"), in words. */
export function inputLine(entry) {
  return (INPUT_LINES[entry.input] || ((e) => e.input))(entry);
}

export const MOCKED_TITLE = 'Answered by the mock set in the Mocks tab; no request was sent';

/**
 * What a step entry says of a test run's mock (docs/protocol.md, "Mocks"): the badge's
 * label and tooltip when the flow's mock answered the widget, else null.
 */
export function mockedBadge(entry) {
  const mock = entry && entry.kind === 'step' ? entry.mock : null;
  if (!mock) return null;
  return { label: Number.isInteger(mock.status) ? `Mocked ${mock.status}` : 'Mocked', title: MOCKED_TITLE };
}
