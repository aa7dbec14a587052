// Compare mode's pure parts (src/compare/model.js) on diffs shaped as the server sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareEdges, compareView, missingSide, oldPositions, refLabel, shownValue, unionStates, widgetClass } from '../src/compare/model.js';

const send = (name, body, x = 0, y = 200, next = undefined) => ({
  name,
  type: 'send-message',
  transitions: [next ? { event: 'sent', next } : { event: 'sent' }, { event: 'failed' }],
  properties: { offset: { x, y }, body },
});
const trigger = (next) => ({ name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next }], properties: { offset: { x: 0, y: 0 } } });

const before = { states: [trigger('hello'), send('hello', 'Hi', 0, 200, 'bye'), send('bye', 'Bye', 0, 400)] };
const after = { states: [trigger('hello'), send('hello', 'Hello', 50, 250, 'thanks'), send('thanks', 'Thanks', 0, 600)] };
const diff = {
  widgets: [
    { name: 'hello', status: 'changed', moved: true, offset: { x: 50, y: 250 }, old_offset: { x: 0, y: 200 }, changes: [{ path: 'body', op: 'changed', before: 'Hi', after: 'Hello' }] },
    { name: 'thanks', status: 'added', moved: false, changes: [] },
    { name: 'bye', status: 'removed', moved: false, changes: [] },
  ],
  transitions: [
    { from: 'hello', event: 'sent', to: 'thanks', status: 'added' },
    { from: 'hello', event: 'sent', to: 'bye', status: 'removed' },
  ],
  settings: [],
  summary: ['changed hello: body', 'added thanks (send-message)', 'removed bye (send-message)'],
};

test('the union holds the newer side and the removed widgets', () => {
  assert.deepEqual(unionStates(before, after, diff).map((s) => s.name), ['Trigger', 'hello', 'thanks', 'bye']);
  const ghost = unionStates(before, after, diff).find((s) => s.name === 'bye');
  assert.deepEqual(ghost.properties.offset, { x: 0, y: 400 }, 'a removed widget stays where it was');
});

test('edges: added marked, removed drawn from the old side, the rest plain', () => {
  const edges = compareEdges(before, after, diff);
  const byStatus = Object.fromEntries(edges.map((e) => [`${e.source}>${e.target}`, e.data.compare]));
  assert.deepEqual(byStatus, { 'Trigger>hello': 'same', 'hello>thanks': 'added', 'hello>bye': 'removed' });
  const removed = edges.find((e) => e.data.compare === 'removed');
  assert.equal(removed.className, 'cmp-edge-removed');
  assert.equal(removed.sourceHandle, '0');
  assert.equal(edges.find((e) => e.target === 'hello').className, undefined);
});

test('a renamed widget keeps its edges and a removed edge of it is drawn on the new name', () => {
  const b = { states: [trigger('a'), send('a', 'x', 0, 200, 'z'), send('z', 'z')] };
  const a = { states: [trigger('b'), send('b', 'x'), send('z', 'z')] };
  const d = {
    widgets: [{ name: 'b', status: 'renamed', renamed_from: 'a', moved: false, changes: [] }],
    transitions: [{ from: 'a', event: 'sent', to: 'z', status: 'removed' }],
  };
  const edges = compareEdges(b, a, d);
  assert.deepEqual(edges.map((e) => [e.source, e.target, e.data.compare]), [
    ['Trigger', 'b', 'same'],
    ['b', 'z', 'removed'],
  ]);
});

test('classes and old positions', () => {
  assert.equal(widgetClass(undefined), '');
  assert.equal(widgetClass(diff.widgets[0]), 'cmp-changed cmp-moved-too');
  assert.equal(widgetClass({ status: 'moved', moved: true }), 'cmp-moved');
  assert.deepEqual(oldPositions(diff), [{ name: 'hello', x: 0, y: 200 }]);
});

test('compareView counts and keeps the summary', () => {
  const view = compareView({ before, after, diff });
  assert.deepEqual(view.counts, { added: 1, removed: 1, changed: 1, moved: 0, renamed: 0, transitions: 2 });
  assert.equal(view.widgets.bye.status, 'removed');
  assert.equal(view.summary.length, 3);
});

test('garbage documents give an empty view rather than a crash', () => {
  const view = compareView({ before: null, after: { states: 'x' }, diff: {} });
  assert.deepEqual(view.states, []);
  assert.deepEqual(view.edges, []);
});

test('values and references read well', () => {
  assert.equal(shownValue('a b'), 'a b');
  assert.equal(shownValue({ x: 1 }), '{"x":1}');
  assert.equal(shownValue(undefined), '');
  assert.ok(shownValue('x'.repeat(10)).length === 10);
  assert.ok(shownValue(['y'.repeat(500)]).endsWith('…'));
  assert.equal(refLabel('draft'), 'Draft (working copy)');
  assert.equal(refLabel('3', [{ revision: 3, status: 'published' }]), 'Revision 3 (published)');
});

test('a flow never published has no published side: the draft is drawn unmarked, and that is said', () => {
  const nothing = { ref: 'published', revision: null, label: 'Nothing published' };
  const everythingAdded = { ...diff, widgets: after.states.map((s) => ({ name: s.name, status: 'added', moved: false, changes: [] })) };
  const response = { from: nothing, to: { ref: 'draft', revision: null, label: 'Draft' }, before: { states: [] }, after, diff: everythingAdded };
  const view = compareView(response);
  assert.equal(view.missing, 'from');
  assert.deepEqual(view.states.map((s) => s.name), ['Trigger', 'hello', 'thanks']);
  assert.deepEqual(view.widgets, {}, 'no widget is marked added');
  assert.ok(view.edges.every((e) => e.data.compare === 'same'));
  assert.deepEqual([view.summary, view.counts.added], [[], 0]);

  const reversed = { ...response, from: response.to, to: nothing, before: after, after: { states: [] } };
  assert.equal(compareView(reversed).missing, 'to');
  assert.equal(compareView(reversed).states.length, 3);
  assert.equal(missingSide({ from: { ref: 'published', revision: 4 }, to: { ref: 'draft', revision: null } }), null);
  assert.equal(compareView({ from: { ref: '2', revision: 2 }, to: { ref: 'draft', revision: null }, before, after, diff }).missing, null);
});
