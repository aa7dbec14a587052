// Tidy up (src/tidy.js): layers ordered after the outputs that lead to them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tidyOffsets } from '../src/tidy.js';

const width = (s) => Math.max(210, (s.transitions || []).length * 100);
const state = (name, ...next) => ({ name, transitions: next.map((n) => ({ event: 'e', ...(n ? { next: n } : {}) })) });
const leftToRight = (offsets, names) => [...names].sort((a, b) => offsets[a].x - offsets[b].x);
const overlaps = (offsets, states) =>
  states.some((a) =>
    states.some((b) => a !== b && offsets[a.name].y === offsets[b.name].y && offsets[a.name].x <= offsets[b.name].x && offsets[b.name].x < offsets[a.name].x + width(a)),
  );

test("a split's widgets are laid out in the order of its outputs", () => {
  // No Match → http, "yes" → confirm, "help" → human: dagre alone draws them reversed.
  const states = [state('Trigger', 'ask'), state('ask', 'split'), state('split', 'http', 'confirm', 'human'), state('confirm'), state('human'), state('http')];
  const offsets = tidyOffsets(states, width);
  assert.deepEqual(leftToRight(offsets, ['confirm', 'human', 'http']), ['http', 'confirm', 'human']);
  assert.ok(!overlaps(offsets, states));
  for (const n of ['confirm', 'human', 'http']) assert.ok(offsets[n].y > offsets.split.y);
});

test('a deeper tree keeps every layer in output order and nothing overlaps', () => {
  const states = [
    state('Trigger', 'menu'),
    state('menu', 'a', 'b', 'c'),
    state('a', 'a1', 'a2'),
    state('b'),
    state('c', 'c1', 'c2'),
    state('a1'),
    state('a2'),
    state('c1'),
    state('c2'),
  ];
  const offsets = tidyOffsets(states, width);
  assert.deepEqual(leftToRight(offsets, ['a', 'b', 'c']), ['a', 'b', 'c']);
  assert.deepEqual(leftToRight(offsets, ['a1', 'a2', 'c1', 'c2']), ['a1', 'a2', 'c1', 'c2']);
  assert.ok(!overlaps(offsets, states));
});

test('widgets nothing leads to keep the order dagre gave them', () => {
  const states = [state('Trigger'), state('x'), state('y')];
  const offsets = tidyOffsets(states, width);
  assert.equal(Object.keys(offsets).length, 3);
  assert.ok(!overlaps(offsets, states));
});
