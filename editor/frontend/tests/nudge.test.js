// Keyboard moves (src/useNudge.js): arrow keys' position changes outside a drag are saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyboardMoves } from '../src/useNudge.js';

test('position changes outside a drag are keyboard moves, rounded', () => {
  const changes = [
    { id: 'a', type: 'position', position: { x: 10.4, y: 20.6 }, dragging: false },
    { id: 'b', type: 'position', position: { x: 5, y: 5 } },
    { id: 'c', type: 'select', selected: true },
  ];
  assert.deepEqual(keyboardMoves(changes, false), { a: { x: 10, y: 21 }, b: { x: 5, y: 5 } });
});

test("a drag's changes, and changes that move nothing, are not", () => {
  const moving = [{ id: 'a', type: 'position', position: { x: 1, y: 2 }, dragging: true }];
  assert.equal(keyboardMoves(moving, false), null);
  // the drag's last change comes with dragging false, before its drag stop saves it
  assert.equal(keyboardMoves([{ id: 'a', type: 'position', position: { x: 1, y: 2 }, dragging: false }], true), null);
  assert.equal(keyboardMoves([{ id: 'a', type: 'dimensions', dimensions: { width: 1, height: 1 } }], false), null);
});
