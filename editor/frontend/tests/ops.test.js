// The canvas's operations (src/ops.js) against the cases the server runs too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditRefused, applyOps, applyWhatApplies, inverseOps } from '../src/ops.js';
import { editCases } from './cases.js';

for (const c of editCases()) {
  test(`${c.file}: ${c.name}`, () => {
    const before = JSON.stringify(c.document);
    if ('error' in c) {
      assert.throws(() => applyOps(c.document, c.ops), (error) => error instanceof EditRefused && error.message.includes(c.error));
    } else {
      assert.deepEqual(applyOps(c.document, c.ops), c.expected);
    }
    assert.equal(JSON.stringify(c.document), before, 'the document given is not changed');
  });
}

// Undo sends the inverse of an edit: applied after the edit, it brings every field back.
const cleared = (doc) => ({ ...doc, states: [...doc.states].sort((a, b) => a.name.localeCompare(b.name)) });
for (const c of editCases().filter((c) => !('error' in c))) {
  test(`undo of ${c.file}: ${c.name}`, () => {
    const after = applyOps(c.document, c.ops);
    const back = applyOps(after, inverseOps(c.document, c.ops));
    assert.deepEqual(cleared(back), cleared(c.document));
  });
}

test('applyWhatApplies skips the operations that do not apply and says why', () => {
  const doc = editCases()[0].document;
  const { doc: after, failed } = applyWhatApplies(doc, [
    { op: 'move_widgets', offsets: { ask: { x: 1, y: 2 } } },
    { op: 'set_properties', name: 'gone', set: { body: 'x' } },
    { op: 'update_flow', description: 'Still applied' },
  ]);
  assert.deepEqual(after.states[1].properties.offset, { x: 1, y: 2 });
  assert.equal(after.description, 'Still applied');
  assert.deepEqual(failed.map((f) => [f.index, f.reason]), [[1, 'There is no widget named gone']]);
});
