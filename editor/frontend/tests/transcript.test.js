// The test panel's transcript lines (src/live/transcript.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputLine, subflowHosts, waitKey } from '../src/live/transcript.js';

const input = (more) => ({ seq: 1, at: '', kind: 'input', source: 'test', ...more });

test('an event names what was fired', () => {
  assert.equal(inputLine(input({ input: 'event', event: 'callCompleted' })), 'Event fired: callCompleted');
});

test('a callback that names no event (a Say/Play played through) reads in words', () => {
  const line = inputLine(input({ input: 'event' }));
  assert.equal(line, 'The channel called back');
  assert.doesNotMatch(line, /undefined/);
});

test('the other inputs keep their lines', () => {
  assert.equal(inputLine(input({ input: 'call', from: '+15550001111' })), 'Incoming call from +15550001111');
  assert.equal(inputLine(input({ input: 'request', parameters: { id: 7 } })), 'REST API request, parameters {"id":7}');
  assert.equal(inputLine(input({ input: 'hangup' })), 'The caller hung up');
  assert.equal(inputLine(input({ input: 'something-new' })), 'something-new');
});

test('a Gather that comes round again is a new wait; the same wait keeps its key', () => {
  const gather = { widget: 'menu', kind: 'callback', action: { verb: 'gather', widget: 'menu' } };
  const action = (seq, widget) => ({ seq, at: '', kind: 'action', verb: 'gather', widget });
  const first = [input({ input: 'call' }), action(2, 'menu')];
  const again = [...first, input({ seq: 3, input: 'gather', digits: '9' }), action(4, 'other'), action(5, 'menu')];
  assert.equal(waitKey(gather, first), waitKey(gather, [...first, { seq: 3, kind: 'message' }]));
  assert.notEqual(waitKey(gather, again), waitKey(gather, first));
  assert.equal(waitKey(null, again), '');
});

test('a step the flow mock answered gets a Mocked badge with its status; others none', async () => {
  const { mockedBadge, MOCKED_TITLE } = await import('../src/live/transcript.js');
  const step = { seq: 2, at: '', kind: 'step', step: 'FT1', from: 'http_1', to: 'Ended', event: 'success' };
  assert.equal(mockedBadge(step), null);
  assert.deepEqual(mockedBadge({ ...step, mock: { status: 503 } }), { label: 'Mocked 503', title: MOCKED_TITLE });
  assert.match(MOCKED_TITLE, /Mocks tab; no request was sent/);
  assert.equal(mockedBadge({ seq: 3, at: '', kind: 'message', mock: { status: 200 } }), null);
  assert.equal(mockedBadge(null), null);
});

test("a subflow's steps in the transcript name the Run Subflow that ran them", () => {
  const step = (seq, from, event, to, flow_sid) => ({ seq, kind: 'step', from, event, to, flow_sid });
  const entries = [
    step(1, 'Trigger', 'incomingMessage', 'http_1', 'FWmain'),
    { seq: 2, kind: 'message', body: 'hi' },
    step(3, 'http_1', 'success', 'subflow_1', 'FWmain'),
    step(4, 'Trigger', 'incomingParent', 'Ended', 'FWsub'),
    step(5, 'subflow_1', 'completed', 'send_to_flex_1', 'FWmain'),
  ];
  assert.deepEqual([...subflowHosts(entries)], [[4, 'subflow_1']]);
  assert.equal(subflowHosts([]).size, 0);
});
