// The test panel's transcript lines (src/live/transcript.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputLine } from '../src/live/transcript.js';

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
