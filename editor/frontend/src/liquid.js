// Variable suggestions for Liquid fields: the Trigger's namespaces, flow and contact, and the
// outputs of the widgets upstream of the selected one (output keys come from the catalogue).

const TRIGGER = {
  'trigger.message': ['Body', 'From', 'To', 'MessageSid', 'AccountSid', 'NumMedia', 'MediaUrl0', 'ChannelSid', 'InstanceSid', 'ChannelAttributes', 'FromCity', 'FromCountry', 'FromState', 'FromZip', 'ToCity', 'ToCountry', 'MessagingServiceSid'],
  'trigger.call': ['CallSid', 'From', 'To', 'Called', 'Caller', 'CallStatus', 'Direction', 'AccountSid', 'FromCity', 'FromCountry', 'FromState', 'FromZip'],
  // Studio's documented keys, then the webhook's own that it keeps (docs/channels.md).
  'trigger.conversation': ['Body', 'From', 'ConversationSid', 'MessageSid', 'ChannelSid', 'Author', 'ParticipantSid', 'DateCreated', 'AccountSid', 'MessagingServiceSid', 'ChatServiceSid', 'Attributes', 'Media', 'Source', 'Index'],
  'trigger.request': ['from', 'to', 'parameters.'],
  'trigger.parent': ['parameters.', 'flow_sid', 'execution_sid', 'step_sid'],
};
const FLOW = ['flow.data.', 'flow.variables.', 'flow.channel.address', 'flow.flow_sid', 'flow.sid', 'contact.channel.address'];

/** Names of the widgets from which `name` can be reached, nearest first. */
export function upstreamOf(states, name) {
  const parents = {};
  for (const s of states) {
    for (const t of s.transitions || []) {
      if (t.next) (parents[t.next] = parents[t.next] || []).push(s.name);
    }
  }
  const seen = new Set([name]);
  const order = [];
  const queue = [name];
  while (queue.length) {
    const current = queue.shift();
    for (const parent of parents[current] || []) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      order.push(parent);
      queue.push(parent);
    }
  }
  return order;
}

export function suggestions(states, catalogue, selected) {
  const items = [];
  for (const [prefix, keys] of Object.entries(TRIGGER)) for (const key of keys) items.push(`${prefix}.${key}`);
  items.push(...FLOW);
  const byName = Object.fromEntries(states.map((s) => [s.name, s]));
  const upstream = upstreamOf(states, selected).map((name) => byName[name]);
  for (const state of upstream) for (const key of variablesOf(state)) items.push(`flow.variables.${key}`);
  for (const state of upstream) items.push(...outputItems(state, catalogue.byType[state.type]));
  return [...new Set(items)];
}

/** The keys a Set Variables widget sets (its `widgets.<name>.*` and `flow.variables.*`). */
function variablesOf(state) {
  if (state.type !== 'set-variables') return [];
  const variables = (state.properties || {}).variables;
  return (Array.isArray(variables) ? variables : [])
    .map((item) => item && item.key)
    .filter((key) => typeof key === 'string' && /^[\w-]+$/.test(key));
}

/**
 * What a widget writes under `widgets.<name>`, from the catalogue's declared `outputs`
 * (dotted paths; a `*` segment is any key below): `parsed.*` is offered as `parsed.`, and a
 * lone `*` as the keys a Set Variables sets, or else `widgets.<name>.`.
 */
export function outputItems(state, def) {
  const items = [];
  const base = `widgets.${state.name}.`;
  for (const key of (def && def.outputs) || []) {
    if (key === '*') {
      const keys = variablesOf(state);
      if (keys.length) items.push(...keys.map((k) => base + k));
      else items.push(base);
    } else {
      items.push(base + (key.endsWith('.*') ? key.slice(0, -1) : key));
    }
  }
  return items;
}

/** The partial variable being typed at `caret` inside `{{ … }}` or `{% … %}`, or null. */
export function openExpression(text, caret) {
  const before = text.slice(0, caret);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  if (open < 0) return null;
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  if (close > open) return null;
  const match = before.slice(open + 2).match(/[\w.\-[\]"']*$/);
  const word = match ? match[0] : '';
  return { start: caret - word.length, word };
}

const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

/** The Liquid path of a list of keys and array indexes (the context inspector copies it). A
 * key that is no identifier is quoted: with '…', or "…" when it holds an apostrophe, as
 * Liquid has no escapes inside a quoted key. */
export function liquidPath(parts) {
  return parts
    .map((part, i) => {
      if (typeof part === 'number') return `[${part}]`;
      if (IDENTIFIER.test(part)) return i === 0 ? part : `.${part}`;
      return part.includes("'") && !part.includes('"') ? `["${part}"]` : `['${part}']`;
    })
    .join('');
}

// Where each trigger's parameters are read besides flow.data (both hold the same object).
const PARAMETER_PATHS = { request: 'trigger.request.parameters', parent: 'trigger.parent.parameters' };

/** The parameter keys the flow reads (`flow.data.<key>`, and the trigger's own
 * `trigger.<kind>.parameters.<key>`), sorted: what a test run's parameters should give. */
export function parameterKeys(states, trigger) {
  const prefixes = ['flow.data', PARAMETER_PATHS[trigger]].filter(Boolean).map((p) => p.replace(/\./g, '\\.'));
  const pattern = new RegExp(`\\b(?:${prefixes.join('|')})\\.([A-Za-z_][\\w-]*)`, 'g');
  const keys = new Set();
  const visit = (value) => {
    if (typeof value === 'string') {
      for (const match of value.matchAll(pattern)) keys.add(match[1]);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  for (const state of states) visit(state.properties);
  return [...keys].sort();
}

// The key only a Programmable Chat (Flex webchat) message gives `trigger.message`
// (editor/services/payloads.py). ChannelSid and InstanceSid are no sign: every Send & Wait
// For Reply reads them by default, whatever the channel.
const CHAT_KEYS = /\btrigger\.message\.ChannelAttributes\b/;

/** Whether the flow reads a chat message's own keys: a test message should then be a chat one. */
export function readsChatMessage(states) {
  const visit = (value) => (typeof value === 'string' ? CHAT_KEYS.test(value) : value && typeof value === 'object' ? Object.values(value).some(visit) : false);
  return states.some((state) => visit(state.properties));
}
