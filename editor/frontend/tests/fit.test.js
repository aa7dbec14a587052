// Fit view with the inspector and panels over the canvas (src/fit.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIBRARY_WIDTH, MINIMAP_SIZES, MIN_CANVAS, MIN_TEST_WIDTH, SIDE_WIDTH, coveredWidth, fitOptions, minimapClearance, testPanelWidth } from '../src/fit.js';

test('nothing open: the usual padding, and the top clear of the canvas tools', () => {
  assert.equal(coveredWidth({ inspector: false, panel: null, testWidth: 480 }), 0);
  assert.deepEqual(fitOptions(0), { maxZoom: 1, padding: { top: '56px', bottom: 0.1, left: 0.1, right: 0.1 } });
});

test('the test panel, a side panel and the inspector each keep their width free', () => {
  assert.equal(coveredWidth({ inspector: false, panel: 'test', testWidth: 520 }), 520);
  assert.equal(coveredWidth({ inspector: true, panel: 'test', testWidth: 520 }), 520 + SIDE_WIDTH);
  assert.equal(coveredWidth({ inspector: true, panel: 'publish', testWidth: 520 }), 2 * SIDE_WIDTH);
  assert.equal(coveredWidth({ inspector: true, panel: null, testWidth: 520 }), SIDE_WIDTH);
});

test('a covered canvas is fitted into what is left of it', () => {
  const options = fitOptions(480, { duration: 200 });
  assert.equal(options.duration, 200);
  assert.equal(options.maxZoom, 1);
  assert.deepEqual(options.padding, { top: '56px', bottom: 0.1, left: 0.1, right: '504px' });
});

test('the test panel keeps its width where there is room, and narrows where there is not', () => {
  const wide = { chosen: 480, body: 1600, inspector: true, library: true };
  assert.equal(testPanelWidth(wide), 480);
  assert.equal(testPanelWidth({ ...wide, body: 0 }), 480); // not measured yet
  // 1024 px window: 991 px of body; beside the library and the inspector the canvas keeps
  // MIN_CANVAS only down to the panel's MIN_TEST_WIDTH, and the library is never covered.
  const narrow = { chosen: 480, body: 991, inspector: false, library: true };
  assert.equal(testPanelWidth(narrow), 480);
  assert.equal(testPanelWidth({ ...narrow, chosen: 700 }), 991 - LIBRARY_WIDTH - MIN_CANVAS);
  assert.equal(testPanelWidth({ ...narrow, inspector: true }), MIN_TEST_WIDTH);
  assert.ok(991 - SIDE_WIDTH - MIN_TEST_WIDTH >= LIBRARY_WIDTH);
  assert.equal(testPanelWidth({ ...narrow, inspector: true, library: false }), 991 - SIDE_WIDTH - MIN_CANVAS);
  // A panel the tester made narrower than the least stays as narrow.
  assert.equal(testPanelWidth({ ...narrow, chosen: 280, inspector: true }), 280);
});

test('a fit keeps clear of the minimap: beside it for a tall flow, above it for a wide one', () => {
  const minimap = MINIMAP_SIZES.normal;
  const pane = { width: 1400, height: 800 };
  const tall = fitOptions(0, {}, { minimap, bounds: { width: 600, height: 2400 }, pane });
  assert.deepEqual(tall.padding, { top: '56px', bottom: 0.1, left: 0.1, right: `${200 + 15 + 24}px` });
  const wide = fitOptions(0, {}, { minimap, bounds: { width: 4000, height: 900 }, pane });
  assert.deepEqual(wide.padding, { top: '56px', bottom: `${150 + 15 + 24}px`, left: 0.1, right: 0.1 });
  // With the inspector open, the minimap sits beside it.
  const covered = fitOptions(SIDE_WIDTH, {}, { minimap, bounds: { width: 600, height: 2400 }, pane });
  assert.equal(covered.padding.right, `${SIDE_WIDTH + 200 + 15 + 24}px`);
  // Sizes not known yet: beside it; no minimap: as before.
  assert.equal(minimapClearance({ minimap, bounds: null, pane, covered: 0 }).right, 239);
  assert.deepEqual(fitOptions(0, {}, { minimap: null, bounds: { width: 1, height: 1 }, pane }), fitOptions(0));
});
