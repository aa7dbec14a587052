// The Test panel's cards say flags as yes or no (src/live/words.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagWord } from '../src/live/words.js';

test('booleans and the "true"/"false" texts Studio stores read as yes and no', () => {
  assert.equal(flagWord(true), 'yes');
  assert.equal(flagWord('true'), 'yes');
  assert.equal(flagWord(false), 'no');
  assert.equal(flagWord('false'), 'no');
});

test('anything else is no flag', () => {
  for (const value of ['', 'True', 'yes', 0, 1, null, undefined, 'Please say your postal code']) {
    assert.equal(flagWord(value), null);
  }
});
