// The counts beside the Problems tab (src/problems.js tabCounts): what blocks publishing
// apart from what does not, so a valid flow with linter warnings shows no red count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tabCounts } from '../src/problems.js';

const none = { errors: 0, warnings: 0 };

test('a valid flow with linter warnings shows only an amber warning count', () => {
  const counts = tabCounts(none, { error: 0, warning: 3, info: 0 });
  assert.deepEqual(counts.map((c) => [c.key, c.text]), [['lint-warning', '▲3']]);
  assert.match(counts[0].title, /3 warnings; they do not block publishing/);
});

test('blocking errors, warnings and each severity of the linter are counted apart', () => {
  const counts = tabCounts({ errors: 2, warnings: 1 }, { error: 1, warning: 4, info: 1 });
  assert.deepEqual(
    counts.map((c) => [c.key, c.text]),
    [['problem', '2'], ['warning', '1'], ['lint-error', '✖1'], ['lint-warning', '▲4'], ['lint-info', 'ℹ1']],
  );
  assert.equal(counts[0].title, '2 errors: fix before publishing');
  assert.equal(counts[1].title, '1 warning: publishing is still allowed');
  assert.equal(counts[2].title, 'Linter: 1 error; publishing asks first');
  assert.equal(counts[4].title, 'Linter: 1 note');
});

test('nothing found, nothing shown (and no lint answer yet)', () => {
  assert.deepEqual(tabCounts(none, { error: 0, warning: 0, info: 0 }), []);
  assert.deepEqual(tabCounts(none, null), []);
});
