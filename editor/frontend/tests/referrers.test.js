// A rename says which widgets' Liquid it rewrites (referrers in src/ops.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referrers } from '../src/ops.js';

test('the widgets whose Liquid names the renamed widget, and only those', () => {
  const states = [
    { name: 'ask', properties: { body: 'Hi' }, transitions: [] },
    { name: 'split', properties: { input: '{{widgets.ask.inbound.Body}}' }, transitions: [{ event: 'match', conditions: [{ arguments: ["{{widgets['ask'].inbound.Body}}"] }] }] },
    { name: 'other', properties: { body: '{{widgets.ask_again.inbound.Body}} ask' }, transitions: [] },
    { name: 'retry', properties: { body: '{{widgets.ask.inbound.Body}}' }, transitions: [] },
  ];
  assert.deepEqual(referrers(states, 'ask', 'question'), ['split', 'retry']);
  assert.deepEqual(referrers(states, 'retry', 'again'), []);
});
