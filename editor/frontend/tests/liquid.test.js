// Liquid autocomplete (src/liquid.js): `widgets.<name>.<output>` from the outputs the
// catalogue declares for each upstream widget's type. The declared outputs are a copy of the
// served catalogue's, kept equal to it by tests/test_catalogue_outputs.py.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liquidPath, openExpression, outputItems, parameterKeys, readsChatMessage, suggestions, upstreamOf } from '../src/liquid.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tests', 'data', 'catalogue', 'outputs.json');
const OUTPUTS = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const catalogue = { byType: Object.fromEntries(Object.entries(OUTPUTS).map(([type, outputs]) => [type, { type, outputs }])) };

const widget = (name, type, next = [], properties = {}) => ({
  name,
  type,
  properties,
  transitions: next.map((target, i) => ({ event: `e${i}`, next: target })),
});

// Trigger -> ask -> http -> vars -> reply; side is reachable from nothing upstream of reply.
const states = [
  widget('Trigger', 'trigger', ['ask']),
  widget('ask', 'send-and-wait-for-reply', ['http']),
  widget('http', 'make-http-request', ['vars']),
  widget('vars', 'set-variables', ['reply'], { variables: [{ key: 'order', value: '1' }, { key: 'bad key', value: '' }] }),
  widget('reply', 'send-message'),
  widget('side', 'gather-input-on-call', ['reply']),
  widget('later', 'run-function'),
];
states[4].transitions.push({ event: 'sent', next: 'later' });

test('the outputs declared for make-http-request are offered, parsed.* as parsed.', () => {
  const items = suggestions(states, catalogue, 'reply');
  for (const path of ['status_code', 'content_type', 'body', 'parsed', 'parsed.']) {
    assert.ok(items.includes(`widgets.http.${path}`), path);
  }
  assert.ok(!items.some((item) => item.includes('*')), 'no wildcard is offered as text');
  assert.ok(!items.includes('widgets.http.headers'), 'make-http-request has no headers');
});

test('trigger.conversation offers what an onMessageAdded webhook brings, as Studio documents it', () => {
  const items = new Set(suggestions(states, catalogue, 'reply'));
  for (const key of ['AccountSid', 'MessagingServiceSid', 'ChatServiceSid', 'Media', 'Source', 'Author']) {
    assert.ok(items.has(`trigger.conversation.${key}`), key);
  }
});

test('every declared output of an upstream widget is offered', () => {
  const items = new Set(suggestions(states, catalogue, 'reply'));
  for (const key of OUTPUTS['send-and-wait-for-reply']) {
    const item = `widgets.ask.${key.endsWith('.*') ? key.slice(0, -1) : key}`;
    assert.ok(items.has(item), item);
  }
  assert.ok(items.has('widgets.ask.inbound.Body'));
});

test('only upstream widgets are offered', () => {
  const items = suggestions(states, catalogue, 'http');
  assert.ok(items.includes('widgets.ask.inbound.Body'));
  assert.ok(!items.some((item) => item.startsWith('widgets.vars.')), 'vars is downstream of http');
  assert.ok(!items.some((item) => item.startsWith('widgets.later.')), 'later is downstream');
  assert.ok(!items.some((item) => item.startsWith('widgets.http.')), 'not the widget itself');
});

test('a Set Variables offers the keys it sets, as its outputs and as flow.variables', () => {
  const items = suggestions(states, catalogue, 'reply');
  assert.ok(items.includes('widgets.vars.order'));
  assert.ok(items.includes('flow.variables.order'));
  assert.ok(!items.some((item) => item.includes('bad key')));
});

test('a type that writes any key offers its name with a dot', () => {
  assert.deepEqual(outputItems(widget('sub', 'run-subflow'), catalogue.byType['run-subflow']), ['widgets.sub.']);
  assert.deepEqual(outputItems(widget('vars', 'set-variables'), catalogue.byType['set-variables']), ['widgets.vars.']);
});

test('widgets that write nothing, or of an unknown type, offer nothing', () => {
  assert.deepEqual(outputItems(widget('Trigger', 'trigger'), catalogue.byType.trigger), []);
  assert.deepEqual(outputItems(widget('split', 'split-based-on'), catalogue.byType['split-based-on']), []);
  assert.deepEqual(outputItems(widget('x', 'no-such-type'), undefined), []);
});

test('suggestions are offered once each', () => {
  const items = suggestions(states, catalogue, 'reply');
  assert.equal(items.length, new Set(items).size);
});

test('upstream is every widget with a path to the selected one, nearest first', () => {
  assert.deepEqual(upstreamOf(states, 'reply'), ['vars', 'side', 'http', 'ask', 'Trigger']);
});

test('the expression being typed is found inside {{ }}', () => {
  assert.deepEqual(openExpression('Hi {{widgets.ht', 15), { start: 5, word: 'widgets.ht' });
  assert.equal(openExpression('Hi {{x}} there', 14), null);
});

test('the context inspector copies paths Liquid can read back', () => {
  assert.equal(liquidPath(['widgets', 'http_1', 'parsed', 'items', 0, 'name']), 'widgets.http_1.parsed.items[0].name');
  assert.equal(liquidPath(['widgets', 'http_1', 'parsed', 'Content-Type']), 'widgets.http_1.parsed.Content-Type');
  assert.equal(liquidPath(['flow', 'data', 'first name']), "flow.data['first name']");
  assert.equal(liquidPath(['flow', 'data', '1st']), "flow.data['1st']");
  // Liquid has no escapes inside a quoted key: an apostrophe goes inside double quotes.
  assert.equal(liquidPath(['flow', 'data', "it's"]), 'flow.data["it\'s"]');
});

test('parameterKeys lists the flow.data and trigger parameter keys a flow reads, sorted, once each', () => {
  const flow = [
    widget('Trigger', 'trigger', ['greet']),
    widget('greet', 'send-message', [], { body: 'Hi {{flow.data.name}}, see you {{ flow.data.appointment | upcase }}' }),
    widget('http', 'make-http-request', [], { parameters: [{ key: 'n', value: '{{trigger.request.parameters.order_id}}' }], body: '{{flow.data.name}}' }),
    widget('sub', 'run-subflow', [], { parameters: [{ key: 'x', value: '{{trigger.parent.parameters.tier}}' }] }),
  ];
  assert.deepEqual(parameterKeys(flow, 'request'), ['appointment', 'name', 'order_id']);
  assert.deepEqual(parameterKeys(flow, 'parent'), ['appointment', 'name', 'tier']);
  assert.deepEqual(parameterKeys(flow, 'message'), ['appointment', 'name']);
  assert.deepEqual(parameterKeys([widget('Trigger', 'trigger')], 'request'), []);
});

test('a flow that reads a chat message’s own keys is a webchat flow', () => {
  const say = (body) => [{ name: 'm', type: 'send-message', properties: { body } }];
  assert.equal(readsChatMessage(say('Hi {{trigger.message.ChannelAttributes.from}}!')), true);
  assert.equal(readsChatMessage([{ name: 'f', type: 'send-to-flex', properties: { attributes: '{"t": "{{trigger.message.ChannelAttributes.channel_type}}"}' } }]), true);
  assert.equal(readsChatMessage(say('Hi {{trigger.message.Body}} from {{trigger.message.From}}')), false);
  // Every Send & Wait For Reply reads these by default.
  assert.equal(readsChatMessage([{ name: 'w', type: 'send-and-wait-for-reply', properties: { service: '{{trigger.message.InstanceSid}}', channel: '{{trigger.message.ChannelSid}}' } }]), false);
  assert.equal(readsChatMessage(say('{{trigger.message.ChannelAttributesX}}')), false);
});
