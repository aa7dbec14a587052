// A widget's outputs as the canvas draws them (src/outputs.js): an export may leave out some
// of a widget type's events, and the canvas still offers them, as Studio's does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectOps, missingEvents, withAllOutputs } from '../src/outputs.js';

const SEND = { type: 'send-message', events: ['sent', 'failed'], repeatable_events: [] };
const SPLIT = { type: 'split-based-on', events: ['noMatch', 'match'], repeatable_events: ['match'] };
const CALL = { type: 'connect-call-to', events: ['callCompleted', 'hangup'], repeatable_events: [] };

test('a widget whose JSON lists no transitions is drawn with every event of its type', () => {
  const state = { name: 'Closing', type: 'send-message', transitions: [], properties: {} };
  const drawn = withAllOutputs(state, SEND);
  assert.deepEqual(drawn.transitions, [{ event: 'sent' }, { event: 'failed' }]);
  assert.deepEqual(state.transitions, [], 'the document is left as imported');
  assert.equal(withAllOutputs(state, SEND), drawn, 'the same state is drawn by the same object');
});

test('the events it has keep their place; the missing ones follow; a split gets no bare match', () => {
  const call = { name: 'dial', type: 'connect-call-to', transitions: [{ event: 'callCompleted', next: 'bye' }] };
  assert.deepEqual(withAllOutputs(call, CALL).transitions, [{ event: 'callCompleted', next: 'bye' }, { event: 'hangup' }]);
  const split = { name: 's', type: 'split-based-on', transitions: [{ event: 'match', conditions: [] }] };
  assert.deepEqual(missingEvents(split, SPLIT), ['noMatch']);
  const whole = { name: 'm', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }] };
  assert.equal(withAllOutputs(whole, SEND), whole);
});

test('connecting a transition of the document is a connect; a drawn one adds the missing events', () => {
  const call = { name: 'dial', type: 'connect-call-to', transitions: [{ event: 'callCompleted' }] };
  assert.deepEqual(connectOps(call, CALL, 0, 'bye'), [{ op: 'connect', name: 'dial', index: 0, next: 'bye' }]);
  assert.deepEqual(connectOps(call, CALL, 1, 'bye'), [
    { op: 'update_widget', name: 'dial', transitions: [{ event: 'callCompleted' }, { event: 'hangup', next: 'bye' }] },
  ]);
  const closing = { name: 'Closing', type: 'send-message', transitions: [] };
  assert.deepEqual(connectOps(closing, SEND, 1, 'retry'), [
    { op: 'update_widget', name: 'Closing', transitions: [{ event: 'sent' }, { event: 'failed', next: 'retry' }] },
  ]);
  assert.deepEqual(connectOps(closing, SEND, 1, null), [], 'unwiring an output the document lacks changes nothing');
  assert.deepEqual(connectOps(closing, SEND, 5, 'retry'), []);
});

test("a linter finding on an event the widget's JSON lacks points at the output drawn for it", async () => {
  const { locateFindings } = await import('../src/lint.js');
  const catalogue = { byType: { 'send-and-wait-for-reply': { events: ['incomingMessage', 'timeout', 'deliveryFailure'], repeatable_events: [], properties: [], event_labels: { timeout: 'Timeout' } } }, conditionLabels: {} };
  const states = [{ name: 'ask', type: 'send-and-wait-for-reply', transitions: [{ event: 'incomingMessage', next: 'save' }], properties: {} }];
  const [found] = locateFindings([{ rule: 'unwired-event', widget: 'ask', field: 'transitions.timeout' }], states, catalogue);
  assert.equal(found.handle, 1);
  assert.equal(found.place, 'Transition “Timeout”');
});
