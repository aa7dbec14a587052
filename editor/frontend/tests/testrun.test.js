// The test panel's run state (src/live/useTestRun.js): which error frames answer a request
// whose ref the server could not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unanswered } from '../src/live/useTestRun.js';

test('a frame too large or over the rate is answered without a ref', () => {
  assert.equal(unanswered({ type: 'error', code: 'frame_too_large', message: '' }), true);
  assert.equal(unanswered({ type: 'error', code: 'rate_limited', message: '' }), true);
});

test('an error that names its request is matched by its ref instead', () => {
  assert.equal(unanswered({ type: 'error', code: 'frame_too_large', ref: 'r3', message: '' }), false);
  assert.equal(unanswered({ type: 'error', code: 'bad_message', message: '' }), false);
});
