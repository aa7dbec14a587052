// The inspector's check of a new widget name (src/catalogue.js), said before any edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameProblem } from '../src/catalogue.js';
import { nameWords } from '../src/text.js';

const states = [{ name: 'Trigger' }, { name: 'ask' }, { name: 'reply' }];

test('a free, well-formed name (or the same one) has no problem', () => {
  assert.equal(nameProblem('confirm_yes', 'reply', states), null);
  assert.equal(nameProblem('reply', 'reply', states), null);
});

test('a taken name names the other widget and the one being renamed', () => {
  assert.equal(nameProblem('ask', 'reply', states), 'Another widget is already named ask. Choose a different name for reply.');
});

test('a malformed, reserved or long name says the rule', () => {
  assert.match(nameProblem('2nd', 'reply', states), /“2nd” cannot be a widget name: start with a letter/);
  assert.match(nameProblem('a b', 'reply', states), /only letters, digits, _ or -/);
  assert.match(nameProblem('Ended', 'reply', states), /Ended is reserved by Studio/);
  assert.match(nameProblem('a'.repeat(101), 'reply', states), /at most 100 characters; this one has 101/);
});

test('a widget name breaks only between its words', () => {
  assert.deepEqual(nameWords('send_and_wait_for_reply_1'), ['send_', 'and_', 'wait_', 'for_', 'reply_', '1']);
  assert.deepEqual(nameWords('AskForZipCode'), ['Ask', 'For', 'Zip', 'Code']);
  assert.deepEqual(nameWords('split-on.reply'), ['split-', 'on.', 'reply']);
  assert.deepEqual(nameWords('Trigger'), ['Trigger']);
  assert.deepEqual(nameWords('HTTP_call'), ['HTTP_', 'call']);
  assert.equal(nameWords('send_and_wait_for_reply_1').join(''), 'send_and_wait_for_reply_1');
});
