// The pan that brings widgets just added or pasted into view (src/reveal.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panClearOf, panToShow } from '../src/reveal.js';

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

// The minimap in the view's bottom right corner: 200 × 150 px.
const minimap = { left: 685, top: 535, right: 885, bottom: 685 };

test('a box under the minimap moves beside it or above it, whichever is less', () => {
  // Mostly left of it: moved left.
  assert.deepEqual(panClearOf({ left: 500, top: 560, right: 720, bottom: 644 }, visible, minimap), { dx: -59, dy: 0 });
  // Mostly above it: moved up.
  assert.deepEqual(panClearOf({ left: 640, top: 500, right: 860, bottom: 584 }, visible, minimap), { dx: 0, dy: -73 });
  // Panned into view onto the minimap: kept clear of it as well.
  assert.deepEqual(panClearOf({ left: 800, top: 640, right: 1020, bottom: 724 }, visible, minimap), { dx: -120, dy: -213 });
});

test('a box clear of the minimap, or no minimap, pans as panToShow does', () => {
  const box = { left: 800, top: 300, right: 1000, bottom: 384 };
  assert.deepEqual(panClearOf(box, visible, minimap), panToShow(box, visible));
  const low = { left: 700, top: 600, right: 800, bottom: 680 };
  assert.deepEqual(panClearOf(low, visible, null), { dx: 0, dy: 0 });
});
