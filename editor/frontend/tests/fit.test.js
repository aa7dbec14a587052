// Fit view with the inspector and panels over the canvas (src/fit.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SIDE_WIDTH, coveredWidth, fitOptions } from '../src/fit.js';

test('nothing open: the usual even padding', () => {
  assert.equal(coveredWidth({ inspector: false, panel: null, testWidth: 480 }), 0);
  assert.deepEqual(fitOptions(0), { maxZoom: 1, padding: 0.1 });
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
  assert.deepEqual(options.padding, { top: 0.1, bottom: 0.1, left: 0.1, right: '504px' });
});
