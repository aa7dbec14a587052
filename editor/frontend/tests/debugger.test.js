// The step debugger's pure parts (src/live/useDebugger.js, overlay.js, transcript.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, pauseOf } from '../src/live/useDebugger.js';
import { decorateNodes, runOverlay } from '../src/live/overlay.js';
import { subflowHost, waitLabel } from '../src/live/transcript.js';

const WAIT = { widget: 'split', widget_type: 'split-based-on', kind: 'pause', timeout_at: null, timeout_event: null, events: [], action: null };
const paused = (pause) => ({
  sid: 'FN1',
  entries: [],
  lastSeq: 0,
  execution: { sid: 'FN1', flow_sid: 'FW1', status: 'active', wait: WAIT, debug: { tester: 1, mode: 'run', run_to: null, pause } },
});

test('a paused run says where and why', () => {
  assert.deepEqual(pauseOf(paused({ reason: 'step', condition: '', error: null })), { widget: 'split', reason: 'step', condition: '', error: null });
  const waiting = paused(null);
  waiting.execution.wait = { ...WAIT, kind: 'reply' };
  assert.equal(pauseOf(waiting), null);
  assert.equal(pauseOf(null), null);
});

test('the paused widget is marked on the canvas and its badge says paused', () => {
  const overlay = runOverlay(paused({ reason: 'breakpoint', condition: '', error: null }), [], null);
  assert.equal(overlay.paused, 'split');
  const [node] = decorateNodes([{ id: 'split', data: {} }], overlay);
  assert.match(node.data.run.classes, /run-paused/);
  assert.equal(node.data.run.badge, 'paused (debugger)');
  assert.equal(waitLabel(WAIT), 'paused (debugger)');
});

test('typed JSON is parsed, or the error says what is wrong', () => {
  assert.deepEqual(parseJson(' {"a": [1, 2]} ', 'The value'), { value: { a: [1, 2] } });
  assert.deepEqual(parseJson('"yes"', 'The value'), { value: 'yes' });
  assert.match(parseJson('{oops', 'The seed').error, /^The seed is not valid JSON/);
  assert.match(parseJson('  ', 'The value').error, /is empty/);
});

test('a number JSON cannot hold is refused, not sent as null', () => {
  assert.match(parseJson('1e999', 'The value').error, /^The value has a number too large to send; put it in quotes/);
  assert.match(parseJson('{"flow": {"data": {"n": -1e400}}}', 'The seed').error, /at flow\.data\.n;/);
});

test('a run waiting inside a subflow shows its Run Subflow widget waiting', () => {
  const step = (seq, from, to, flow) => ({ kind: 'step', seq, step: `FT${seq}`, event: 'e', from, to, flow_sid: flow });
  const entries = [step(1, 'Trigger', 'sub', 'FW1'), step(2, 'Trigger', 'ask', 'FW2')];
  const wait = { ...WAIT, widget: 'ask', widget_type: 'send-and-wait-for-reply', kind: 'reply' };
  const run = { sid: 'FN1', entries, lastSeq: 2, execution: { sid: 'FN1', flow_sid: 'FW1', status: 'active', wait, debug: null } };
  const overlay = runOverlay(run, [], null);
  assert.equal(overlay.current, 'sub');
  assert.deepEqual(overlay.waiting, { widget: 'sub', label: 'in subflow, ask waiting for reply' });
  assert.deepEqual([...overlay.visited].sort(), ['Trigger', 'sub']);
  // Its steps in the panel's list belong to the Run Subflow widget; this flow's own to none.
  assert.deepEqual([0, 1].map((i) => subflowHost(entries, i, 'FW1')), [null, 'sub']);
  // Back in this flow, its own widget waits as usual.
  run.entries = [...entries, step(3, 'ask', 'Ended', 'FW2'), step(4, 'sub', 'again', 'FW1')];
  run.execution.wait = { ...wait, widget: 'again' };
  assert.deepEqual(runOverlay(run, [], null).waiting, { widget: 'again', label: 'waiting for reply' });
});
