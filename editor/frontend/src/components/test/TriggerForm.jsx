// How a test run starts (run.start): the trigger, who the contact is, the flow's own
// address, the first message or the JSON parameters. The last form is kept per flow.
import { useEffect, useState } from 'react';
import { savedForm, saveForm } from '../../live/storage.js';
import { transitionLabel, widgetDef } from '../../catalogue.js';
import { parameterKeys, readsChatMessage } from '../../liquid.js';
import { lengthProblem, parseParameters } from '../../live/inputs.js';

export const TRIGGERS = [
  { value: 'message', label: 'Incoming message', event: 'incomingMessage' },
  { value: 'call', label: 'Incoming call', event: 'incomingCall' },
  { value: 'conversation', label: 'Incoming conversation message', event: 'incomingConversationMessage' },
  { value: 'request', label: 'REST API', event: 'incomingRequest' },
  { value: 'parent', label: 'Subflow parent', event: 'incomingParent' },
];
const CHANNELS = [
  { value: 'sms', label: 'SMS' },
  { value: 'whatsapp', label: 'WhatsApp' },
  { value: 'chat', label: 'Chat' },
];

// The page's own addresses for this tester (data-test-addresses, from the server's
// editor/services/test_runs.py): each tester is a different contact, so two people testing
// one flow do not restart each other's runs.
const FALLBACK = { sms: '+15557000000', whatsapp: 'whatsapp:+15557000000', chat: 'tester', flow_address: '+15555550199' };
let addresses = FALLBACK;
export function setTestAddresses(found) {
  addresses = { ...FALLBACK, ...(found || {}) };
}

/** The contact and flow address a trigger starts with, until the tester types their own. */
export function defaults(trigger, channel) {
  const flow = addresses.flow_address;
  if (trigger === 'message') {
    const contact = addresses[channel] || addresses.sms;
    return { contact, flowAddress: channel === 'whatsapp' ? `whatsapp:${flow}` : flow };
  }
  return { contact: addresses[trigger] || addresses.sms, flowAddress: flow };
}

const CONTACT_LABELS = { message: 'From (contact)', call: 'Caller (contact)', conversation: 'Author identity', request: 'To (contact)', parent: 'Contact' };
const FLOW_LABELS = { message: 'To (flow address)', call: 'Called (flow address)', conversation: 'Flow address', request: 'From (flow address)', parent: 'Flow address' };

/** The first trigger whose event the Trigger widget has wired. */
function wiredTrigger(states) {
  const trigger = states.find((s) => s.type === 'trigger');
  const wired = new Set(((trigger && trigger.transitions) || []).filter((t) => t.next).map((t) => t.event));
  return { first: (TRIGGERS.find((t) => wired.has(t.event)) || TRIGGERS[0]).value, wired };
}

/** A first set of parameters: every key the flow reads, empty, for the tester to fill. */
function parametersFor(states, trigger) {
  const keys = parameterKeys(states, trigger);
  return keys.length ? JSON.stringify(Object.fromEntries(keys.map((k) => [k, ''])), null, 2) : '{}';
}

function initialForm(flowSid, states) {
  const trigger = wiredTrigger(states).first;
  const parameters = parametersFor(states, trigger);
  // A webchat flow (it reads trigger.message.ChannelAttributes…) is tried as a chat.
  const channel = readsChatMessage(states) ? 'chat' : 'sms';
  const base = { trigger, channel, body: 'Hi', mediaUrl: '', parameters, ...defaults(trigger, channel) };
  const saved = savedForm(flowSid);
  return saved && saved.trigger ? { ...base, ...saved } : base;
}

/** The Conversations message source an author implies: a phone number texts, an identity uses the SDK. */
export function conversationSource(author) {
  if (author.startsWith('whatsapp:')) return 'WhatsApp';
  return /^\+?\d[\d\s-]*$/.test(author) ? 'SMS' : 'SDK';
}

export function startMessage(form) {
  const message = { trigger: form.trigger, contact: form.contact.trim(), flow_address: form.flowAddress.trim() };
  if (form.trigger === 'message') message.channel = form.channel;
  if (form.trigger === 'message' || form.trigger === 'conversation') {
    message.body = form.body;
    if (form.mediaUrl.trim()) message.media_url = form.mediaUrl.trim();
  }
  if (form.trigger === 'conversation') message.conversation = { author: message.contact, source: conversationSource(message.contact) };
  if (form.trigger === 'request' || form.trigger === 'parent') message.parameters = parseParameters(form.parameters).value;
  return message;
}

function Field({ id, label, children }) {
  return (
    <div className="tp-field">
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

/** The contact's or the flow's address: a run cannot start without it, and says so. */
function AddressInput({ id, value, onChange, example, testid }) {
  const blank = !value.trim();
  return (
    <>
      <input id={id} value={value} onChange={onChange} aria-invalid={blank} aria-describedby={blank ? `${id}-error` : undefined} data-testid={testid} />
      {blank ? (
        <p className="cv-field-error" id={`${id}-error`} data-testid={`${testid}-error`}>
          Needed to start a run, e.g. {example}
        </p>
      ) : null}
    </>
  );
}

export default function TriggerForm({ flowSid, states, catalogue, active, starting, saving, offline, onStart }) {
  const [form, setForm] = useState(() => initialForm(flowSid, states));
  // Start pressed while an edit is being saved (the click that left an inspector field saves
  // it): the run starts once the draft on the server is the one on the canvas.
  const [queued, setQueued] = useState(null);
  useEffect(() => {
    if (!queued || saving || starting) return;
    setQueued(null);
    if (!offline) onStart(queued);
  }, [queued, saving, starting, offline, onStart]);
  useEffect(() => saveForm(flowSid, form), [flowSid, form]);
  const set = (key) => (e) => setForm((f) => ({ ...f, [key]: e.target.value }));
  // A new trigger or channel brings its own defaults, unless the tester changed them.
  const choose = (key) => (e) =>
    setForm((f) => {
      const next = { ...f, [key]: e.target.value };
      const before = defaults(f.trigger, f.channel);
      const after = defaults(next.trigger, next.channel);
      if (f.contact === before.contact) next.contact = after.contact;
      if (f.flowAddress === before.flowAddress) next.flowAddress = after.flowAddress;
      if (f.parameters.trim() === '{}' || f.parameters === parametersFor(states, f.trigger)) next.parameters = parametersFor(states, next.trigger);
      return next;
    });

  const { trigger } = form;
  const example = defaults(trigger, form.channel);
  const needsParameters = trigger === 'request' || trigger === 'parent';
  const parameters = needsParameters ? parseParameters(form.parameters) : {};
  const event = TRIGGERS.find((t) => t.value === trigger).event;
  const unwired = !wiredTrigger(states).wired.has(event);
  const bodyProblem = trigger === 'message' || trigger === 'conversation' ? lengthProblem(form.body) : '';
  const invalid = Boolean(parameters.error) || Boolean(bodyProblem) || !form.contact.trim() || !form.flowAddress.trim();
  const missing = needsParameters && parameters.value ? parameterKeys(states, trigger).filter((k) => !(k in parameters.value)) : [];

  function submit(e) {
    e.preventDefault();
    if (invalid || starting || offline || queued) return;
    if (saving) setQueued(startMessage(form));
    else onStart(startMessage(form));
  }

  return (
    <form className="tp-form" onSubmit={submit} data-testid="trigger-form" aria-label="Start a test run">
      <div className="tp-form-row">
        <Field id="tp-trigger" label="Trigger">
          <select id="tp-trigger" value={trigger} onChange={choose('trigger')} data-testid="test-trigger">
            {TRIGGERS.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        {trigger === 'message' ? (
          <Field id="tp-channel" label="Channel">
            <select id="tp-channel" value={form.channel} onChange={choose('channel')} data-testid="test-channel">
              {CHANNELS.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
          </Field>
        ) : null}
      </div>
      {unwired ? (
        <p className="cv-field-warning" data-testid="test-unwired">
          The Trigger&apos;s {catalogue ? transitionLabel({ event }, widgetDef(catalogue, 'trigger')) : event} output is not connected: this
          run ends at once.
        </p>
      ) : null}
      <div className="tp-form-row">
        <Field id="tp-contact" label={CONTACT_LABELS[trigger]}>
          <AddressInput id="tp-contact" value={form.contact} onChange={set('contact')} example={example.contact} testid="test-contact" />
        </Field>
        <Field id="tp-flow-address" label={FLOW_LABELS[trigger]}>
          <AddressInput id="tp-flow-address" value={form.flowAddress} onChange={set('flowAddress')} example={example.flowAddress} testid="test-flow-address" />
        </Field>
      </div>
      {trigger === 'message' || trigger === 'conversation' ? (
        <>
          <Field id="tp-body" label="First message">
            <input
              id="tp-body"
              value={form.body}
              onChange={set('body')}
              aria-invalid={Boolean(bodyProblem)}
              aria-describedby={bodyProblem ? 'tp-body-error' : undefined}
              data-testid="test-body"
            />
            {bodyProblem ? (
              <p className="cv-field-error" id="tp-body-error" data-testid="test-body-error">
                {bodyProblem}
              </p>
            ) : null}
          </Field>
          <Field id="tp-media" label="Media URL (optional)">
            <input id="tp-media" type="url" value={form.mediaUrl} onChange={set('mediaUrl')} placeholder="https://…" data-testid="test-media" />
          </Field>
        </>
      ) : null}
      {needsParameters ? (
        <Field id="tp-parameters" label={trigger === 'request' ? 'Parameters (flow.data)' : "Parent's parameters (trigger.parent.parameters and flow.data)"}>
          <textarea
            id="tp-parameters"
            rows={4}
            value={form.parameters}
            onChange={set('parameters')}
            aria-invalid={Boolean(parameters.error)}
            aria-describedby={parameters.error ? 'tp-parameters-error' : undefined}
            data-testid="test-parameters"
          />
          {parameters.error ? (
            <p className="cv-field-error" id="tp-parameters-error" data-testid="test-parameters-error">
              {parameters.error}
            </p>
          ) : null}
          {missing.length ? (
            <p className="cv-help" data-testid="test-parameters-missing">
              The flow also reads {missing.length === 1 ? 'this parameter' : 'these parameters'}: {missing.join(', ')}.
            </p>
          ) : null}
        </Field>
      ) : null}
      <div className="cv-row">
        <button type="submit" className="cv-button cv-button-primary" disabled={invalid || starting || offline || Boolean(queued)} data-testid="test-start">
          {starting || queued ? 'Starting…' : active ? 'Restart' : 'Start'}
        </button>
        {active ? <span className="cv-muted cv-small">Restarting ends the run in progress for this contact.</span> : null}
        {saving ? (
          <span className="cv-muted cv-small">{queued ? 'Starts once your edits are saved…' : 'Waiting for your edits to be saved…'}</span>
        ) : null}
      </div>
    </form>
  );
}
