// What the Test panel checks before it sends the tester's text (src/live/inputs.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TEXT, lengthProblem } from '../src/live/inputs.js';

test('a message of up to 1,600 characters is fine, one more is refused in words', () => {
  assert.equal(lengthProblem('x'.repeat(MAX_TEXT)), '');
  assert.equal(lengthProblem(''), '');
  assert.match(lengthProblem('x'.repeat(100000)), /^Too long: 100,000 characters, .* at most 1,600/);
});

test('characters are counted as the server counts them, not as UTF-16 units', () => {
  assert.equal(lengthProblem('🦉'.repeat(MAX_TEXT)), '');
  assert.notEqual(lengthProblem('🦉'.repeat(MAX_TEXT + 1)), '');
});
