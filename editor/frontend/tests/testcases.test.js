// A test case's result on the canvas (src/components/testcases/overlay.js): its path and
// the widget it failed at, drawn through the test panel's decorations (src/live/overlay.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseOverlay, mockedSteps } from '../src/components/testcases/overlay.js';
import { decorateEdges, decorateNodes } from '../src/live/overlay.js';

const STATES = [
  { name: 'Trigger', transitions: [{ event: 'incomingMessage', next: 'ask' }] },
  { name: 'ask', transitions: [{ event: 'incomingMessage', next: 'say' }, { event: 'timeout' }] },
  { name: 'say', transitions: [{ event: 'sent' }] },
];
const RESULT = {
  status: 'fail',
  failure: { widget: 'say', step: 3, message: 'messages[1].body: expected …' },
  steps: [
    { widget: 'Trigger', event: 'incomingMessage', to: 'ask', flow_sid: 'FW1' },
    { widget: 'ask', event: 'incomingMessage', to: 'say', flow_sid: 'FW1' },
    { widget: 'inner', event: 'next', to: 'Ended', flow_sid: 'FW2' },
    { widget: 'say', event: 'sent', to: 'Ended', flow_sid: 'FW1' },
  ],
};

test('no result draws nothing', () => {
  assert.equal(caseOverlay(null, STATES, 'FW1'), null);
});

test('the failing widget is outlined and the path drawn, a subflow left out', () => {
  const overlay = caseOverlay(RESULT, STATES, 'FW1');
  assert.equal(overlay.failed, 'say');
  assert.deepEqual([...overlay.visited], ['Trigger', 'ask', 'say']);
  assert.deepEqual([...overlay.pathEdges], ['Trigger:0', 'ask:0', 'say:0']);
  const nodes = decorateNodes([{ id: 'ask', data: {} }, { id: 'say', data: {} }, { id: 'other', data: {} }], overlay);
  assert.equal(nodes[0].data.run.classes, 'run-visited');
  assert.equal(nodes[1].data.run.classes, 'run-visited run-failed');
  assert.equal(nodes[2].data.run, undefined);
  const edges = decorateEdges([{ id: 'ask:0' }, { id: 'ask:1' }], overlay, null);
  assert.equal(edges[0].className, 'run-path');
  assert.equal(edges[1].className, undefined);
});

test('a passing case outlines nothing', () => {
  const overlay = caseOverlay({ ...RESULT, status: 'pass', failure: null }, STATES, 'FW1');
  assert.equal(overlay.failed, null);
});

test("the steps a case's mocks answered, with the test panel's label", () => {
  const steps = [
    { index: 1, widget: 'Trigger', event: 'incomingMessage', to: 'lookup' },
    { index: 2, widget: 'lookup', event: 'failed', to: 'fn', mock: { status: 503 } },
    { index: 3, widget: 'fn', event: 'success', to: 'Ended', mock: {} },
    { index: 4, widget: 'real', event: 'success', to: 'Ended' },
  ];
  const mocked = mockedSteps({ ...RESULT, steps });
  assert.deepEqual(
    mocked.map((m) => [m.index, m.widget, m.label]),
    [
      [2, 'lookup', 'Mocked 503'],
      [3, 'fn', 'Mocked'],
    ],
  );
  assert.match(mocked[0].title, /mocks\.http\.lookup/);
  assert.deepEqual(mockedSteps(RESULT), []);
  assert.deepEqual(mockedSteps(null), []);
});
