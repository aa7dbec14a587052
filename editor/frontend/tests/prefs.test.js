// The canvas preferences kept in localStorage (src/prefs.js).
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { saveMinimap, savedMinimap } from '../src/prefs.js';

function fakeStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    items,
  };
}

beforeEach(() => {
  globalThis.window = { localStorage: fakeStorage() };
});

test('no choice yet leaves the default to the canvas', () => {
  assert.equal(savedMinimap(), null);
});

test('the Minimap toggle is remembered, off and on', () => {
  saveMinimap(false);
  assert.equal(savedMinimap(), false);
  assert.equal(window.localStorage.items.get('studio.canvas.minimap'), 'off');
  saveMinimap(true);
  assert.equal(savedMinimap(), true);
});

test('a stored value it does not know counts as no choice', () => {
  window.localStorage.setItem('studio.canvas.minimap', 'maybe');
  assert.equal(savedMinimap(), null);
});

test('storage that refuses writes is no error', () => {
  window.localStorage.setItem = () => {
    throw new Error('QuotaExceededError');
  };
  assert.doesNotThrow(() => saveMinimap(false));
  assert.equal(savedMinimap(), null);
});
