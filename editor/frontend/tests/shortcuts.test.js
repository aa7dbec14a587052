// Which focused elements keep the keys to themselves (src/shortcuts.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { typedIn } from '../src/shortcuts.js';

test('text is typed in inputs, text areas and editable elements', () => {
  for (const el of [{ tagName: 'INPUT', type: 'text' }, { tagName: 'INPUT' }, { tagName: 'INPUT', type: 'number' }, { tagName: 'TEXTAREA' }, { tagName: 'DIV', isContentEditable: true }]) {
    assert.equal(typedIn(el), true, JSON.stringify(el));
  }
});

test('lists, check boxes and buttons leave undo and the rest to the canvas', () => {
  for (const el of [{ tagName: 'SELECT' }, { tagName: 'INPUT', type: 'checkbox' }, { tagName: 'INPUT', type: 'radio' }, { tagName: 'BUTTON' }, { tagName: 'DIV' }, null]) {
    assert.equal(typedIn(el), false, JSON.stringify(el));
  }
});
