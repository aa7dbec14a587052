// The canvas's handling of the linter's findings (src/lint.js): where each one is, the
// counts behind the badges, the Problems panel's groups, and stale answers dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexCatalogue } from '../src/catalogue.js';
import {
  LintRunner,
  Sequencer,
  countFindings,
  findingsAt,
  groupFindings,
  lintRequest,
  locateFindings,
  newSincePublished,
  parseField,
  findingsBesideProblems,
  worstOf,
} from '../src/lint.js';

const catalogue = indexCatalogue({
  widgets: [
    {
      type: 'split-based-on',
      label: 'Split Based On…',
      group: 'flow',
      events: ['noMatch', 'match'],
      properties: [{ name: 'input', label: 'Variable to test' }],
      event_labels: {},
    },
    {
      type: 'set-variables',
      label: 'Set Variables',
      group: 'tools',
      events: ['next'],
      properties: [{ name: 'variables', label: 'Variables' }],
      event_labels: {},
    },
  ],
  condition_types: [{ type: 'equal_to', label: 'Equal To' }],
});

const states = [
  { name: 'Trigger', type: 'trigger', transitions: [{ event: 'incomingMessage', next: 'split_1' }], properties: {} },
  {
    name: 'split_1',
    type: 'split-based-on',
    transitions: [{ event: 'noMatch' }, { event: 'match', next: 'vars', conditions: [{ type: 'equal_to', value: 'a', arguments: ['x'] }] }],
    properties: { input: '{{widgets.nobody.x}}' },
  },
  { name: 'vars', type: 'set-variables', transitions: [{ event: 'next' }], properties: { variables: [{ key: 'a', value: '{{x | nope}}' }] } },
];

const finding = (rule, severity, widget, field, extra = {}) => ({ rule, severity, widget, field, message: `${rule} on ${widget}`, fix: null, ...extra });

const findings = [
  finding('endless-loop', 'error', null, null),
  finding('unwired-event', 'warning', 'split_1', 'transitions.noMatch'),
  finding('unknown-widget', 'error', 'split_1', 'properties.input'),
  finding('unknown-filter', 'error', 'vars', 'properties.variables.0.value'),
  finding('liquid-limit', 'info', 'vars', 'properties.variables'),
  finding('unknown-widget', 'error', 'gone', 'properties.body'),
];

test('a finding field path names a property, an item, an event or a transition', () => {
  assert.deepEqual(parseField('properties.body'), { property: 'body' });
  assert.deepEqual(parseField('properties.variables.2.value'), { property: 'variables', item: 2 });
  assert.deepEqual(parseField('transitions.noMatch'), { event: 'noMatch' });
  assert.deepEqual(parseField('transitions.1.conditions.0.value'), { transition: 1 });
  assert.deepEqual(parseField(null), {});
  assert.deepEqual(parseField(''), {});
  assert.deepEqual(parseField(42), {});
});

test('findings are located on the widget, the inspector field and the output handle', () => {
  const located = locateFindings(findings, states, catalogue);
  assert.equal(located[1].handle, 0, 'noMatch is the first output of split_1');
  assert.equal(located[1].place, 'Transition “noMatch”');
  assert.equal(located[2].place, 'Variable to test');
  assert.equal(located[2].handle, -1);
  assert.deepEqual(located[3].where, { property: 'variables', item: 0 });
  assert.equal(located[3].place, 'Variables, item 1');
  assert.equal(located[5].known, false, 'a widget renamed or deleted since is not located');
  assert.deepEqual(located.map((f) => f.index), [0, 1, 2, 3, 4, 5]);
});

test('an event missing from the document has no handle but still a place', () => {
  const [f] = locateFindings([finding('unwired-event', 'warning', 'vars', 'transitions.failed')], states, catalogue);
  assert.equal(f.handle, -1);
  assert.equal(f.place, 'Transition “failed”');
});

test('badge counts per widget and in all, and the worst severity colours the badge', () => {
  const { total, byName } = countFindings(locateFindings(findings, states, catalogue));
  assert.deepEqual(total, { error: 4, warning: 1, info: 1 });
  assert.deepEqual(byName.split_1, { error: 1, warning: 1, info: 0 });
  assert.deepEqual(byName.vars, { error: 1, warning: 0, info: 1 });
  assert.equal(worstOf(byName.split_1), 'error');
  assert.equal(worstOf({ error: 0, warning: 0, info: 2 }), 'info');
  assert.equal(worstOf({ error: 0, warning: 0, info: 0 }), null);
  assert.equal(worstOf(undefined), null);
});

test('the panel groups by severity, errors first, and filters severities out', () => {
  const located = locateFindings(findings, states, catalogue);
  const groups = groupFindings(located);
  assert.deepEqual(groups.map((g) => g.key), ['error', 'warning', 'info']);
  assert.deepEqual(groups[0].items.map((f) => f.index), [0, 2, 3, 5], 'document order within a group');
  const noErrors = groupFindings(located, { shown: new Set(['warning', 'info']) });
  assert.deepEqual(noErrors.map((g) => g.key), ['warning', 'info']);
  assert.deepEqual(groupFindings(located, { shown: new Set() }), []);
});

test('grouped by widget: the flow first, then by name, errors first inside', () => {
  const groups = groupFindings(locateFindings(findings, states, catalogue), { by: 'widget' });
  assert.deepEqual(groups.map((g) => g.key), ['', 'gone', 'split_1', 'vars']);
  assert.deepEqual(groups[2].items.map((f) => f.rule), ['unknown-widget', 'unwired-event']);
});

test('an inspector field gets its own findings, a key/value row those of its item', () => {
  const located = locateFindings(findings, states, catalogue);
  assert.deepEqual(findingsAt(located, 'vars', 'variables').map((f) => f.rule), ['unknown-filter', 'liquid-limit']);
  assert.deepEqual(findingsAt(located, 'vars', 'variables', 0).map((f) => f.rule), ['unknown-filter']);
  assert.deepEqual(findingsAt(located, 'split_1', 'input').map((f) => f.rule), ['unknown-widget']);
  assert.deepEqual(findingsAt(located, 'split_1', 'noMatch'), []);
});

test('only the answer to the latest request is used', () => {
  const s = new Sequencer();
  const first = s.next();
  assert.equal(s.isCurrent(first), true);
  const second = s.next();
  assert.equal(s.isCurrent(first), false, 'the earlier answer arriving late is dropped');
  assert.equal(s.isCurrent(second), true);
});

test('answers arriving out of order leave the newest document findings', async () => {
  const s = new Sequencer();
  let shown = null;
  const lint = async (answer, delay) => {
    const n = s.next();
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (s.isCurrent(n)) shown = answer;
  };
  await Promise.all([lint('old', 30), lint('new', 5)]);
  assert.equal(shown, 'new');
});

test('the stored draft is linted by GET, an unsaved document by POST of it', () => {
  const confirmed = { states: [] };
  assert.deepEqual(lintRequest({ pending: [], confirmed, view: confirmed }), { method: 'GET' });
  const view = { states: [{ name: 'x' }] };
  assert.deepEqual(lintRequest({ pending: [{ id: 1 }], confirmed, view }), { method: 'POST', body: { definition: view } });
});

test('the findings new since the published revision, or all when nothing is published', () => {
  const answer = { findings: [finding('a', 'error', 'x', null), finding('b', 'warning', 'y', null)], new_since_published: [1] };
  assert.deepEqual(newSincePublished(answer).map((f) => f.rule), ['b']);
  assert.deepEqual(newSincePublished({ ...answer, new_since_published: null }).map((f) => f.rule), ['a', 'b']);
  assert.deepEqual(newSincePublished({ ...answer, new_since_published: [] }), []);
  assert.deepEqual(newSincePublished(null), []);
});

/** A lint whose answers the test releases one by one. */
function controlled() {
  const calls = [];
  const lint = () => new Promise((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, lint };
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('the runner sends one request at a time and lints once more after a burst', async () => {
  const { calls, lint } = controlled();
  const results = [];
  const runner = new LintRunner({ lint, onResult: (r) => results.push(r), onError: assert.fail });
  const first = runner.request();
  runner.request();
  runner.request();
  assert.equal(calls.length, 1, 'no second request while the first is on its way');
  calls[0].resolve('for the first document');
  await tick();
  assert.equal(calls.length, 2, 'the changes made meanwhile are linted once');
  calls[1].resolve('for the latest document');
  await first;
  assert.deepEqual(results, ['for the first document', 'for the latest document']);
});

test('an answer arriving after the page cancelled is dropped, and so is its error', async () => {
  const { calls, lint } = controlled();
  const results = [];
  const errors = [];
  const runner = new LintRunner({ lint, onResult: (r) => results.push(r), onError: (e) => errors.push(e) });
  const one = runner.request();
  runner.cancel();
  calls[0].resolve('stale');
  await one;
  assert.deepEqual(results, []);
  const two = runner.request();
  runner.cancel();
  calls[1].reject(new Error('offline'));
  await two;
  assert.deepEqual(errors, []);
  const three = runner.request();
  calls[2].reject(new Error('offline'));
  await three;
  assert.equal(errors[0].message, 'offline', 'a current request reports its error');
});

test("a field shows validation's Liquid warning once, not the linter's restatement too", () => {
  const warning = { field: 'body', severity: 'warning', message: 'Liquid: unexpected end of template' };
  const syntax = { rule: 'liquid-syntax', severity: 'error' };
  const loop = { rule: 'liquid-loop-limit', severity: 'warning' };
  const filter = { rule: 'unknown-filter', severity: 'error' };
  assert.deepEqual(findingsBesideProblems([syntax, loop, filter], [warning]), [filter]);
  assert.deepEqual(findingsBesideProblems([syntax, filter], []), [syntax, filter]);
  const other = { field: 'body', severity: 'warning', message: 'Too long for one SMS segment' };
  assert.deepEqual(findingsBesideProblems([syntax], [other]), [syntax]);
});

test("an empty Run Subflow's Subflow says it once: validation's error, not the linter's two restatements", () => {
  const error = { field: 'flow_sid', severity: 'error', message: "flow_sid must be a flow SID (FW followed by 32 hex digits), not ''" };
  const empty = { rule: 'empty-required', severity: 'error' };
  const unknown = { rule: 'unknown-subflow', severity: 'error' };
  const syntax = { rule: 'liquid-syntax', severity: 'error' };
  assert.deepEqual(findingsBesideProblems([empty, unknown, syntax], [error]), [syntax]);
  // With no validation error the linter's findings are the only word on it.
  assert.deepEqual(findingsBesideProblems([empty, unknown], []), [empty, unknown]);
  const warning = { field: 'flow_sid', severity: 'warning', message: 'Unusual revision' };
  assert.deepEqual(findingsBesideProblems([empty, unknown], [warning]), [empty, unknown]);
});
