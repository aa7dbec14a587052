// The pan that brings widgets just added or pasted into view (src/reveal.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panToShow } from '../src/reveal.js';

const visible = { left: 100, top: 100, right: 900, bottom: 700 };

test('a box already in view does not move the canvas', () => {
  assert.deepEqual(panToShow({ left: 200, top: 200, right: 400, bottom: 300 }, visible), { dx: 0, dy: 0 });
});

test('a box above or left of the view comes down or right just enough', () => {
  assert.deepEqual(panToShow({ left: 50, top: -40, right: 250, bottom: 44 }, visible), { dx: 50, dy: 140 });
});

test('a box under the inspector on the right comes left just enough', () => {
  assert.deepEqual(panToShow({ left: 800, top: 300, right: 1000, bottom: 384 }, visible), { dx: -100, dy: 0 });
});

test('a box larger than the view is shown from its top left', () => {
  assert.deepEqual(panToShow({ left: 0, top: 0, right: 2000, bottom: 1500 }, visible), { dx: 100, dy: 100 });
});
