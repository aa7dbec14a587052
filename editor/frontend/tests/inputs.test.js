// What the Test panel checks before it sends the tester's text (src/live/inputs.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TEXT, lengthProblem, parseParameters } from '../src/live/inputs.js';

test('a message of up to 1,600 characters is fine, one more is refused in words', () => {
  assert.equal(lengthProblem('x'.repeat(MAX_TEXT)), '');
  assert.equal(lengthProblem(''), '');
  assert.match(lengthProblem('x'.repeat(100000)), /^Too long: 100,000 characters, .* at most 1,600/);
});

test('characters are counted as the server counts them, not as UTF-16 units', () => {
  assert.equal(lengthProblem('🦉'.repeat(MAX_TEXT)), '');
  assert.notEqual(lengthProblem('🦉'.repeat(MAX_TEXT + 1)), '');
});

test('parameters are a JSON object', () => {
  assert.deepEqual(parseParameters(''), { value: {} });
  assert.deepEqual(parseParameters('{"name": "Ana", "n": 2}'), { value: { name: 'Ana', n: 2 } });
  assert.match(parseParameters('[1, 2]').error, /must be a JSON object/);
  assert.match(parseParameters('{"name": ').error, /^Not valid JSON/);
});

test('a number JSON cannot hold is refused, not sent as null', () => {
  // JSON.parse reads 1e999 as Infinity, which JSON.stringify then writes as null.
  assert.match(parseParameters('{"amount": 1e999}').error, /number at amount is too large.*quotes/);
  assert.match(parseParameters('{"a": {"b": [-1e400]}}').error, /at a\.b\[0\] /);
  assert.deepEqual(parseParameters('{"amount": "1e999"}'), { value: { amount: '1e999' } });
});
