// The inspector's labels for enumerated and suggested values (src/catalogue.js), read from
// the catalogue's `choices` and `suggested` (editor/flowspec/catalogue/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceLabel, choiceOptions, isRequired, isShown, withOffers } from '../src/catalogue.js';

const paymentMethod = {
  name: 'payment_method',
  enum: ['CREDIT_CARD', 'ACH_DEBIT'],
  choices: [
    { value: 'CREDIT_CARD', label: 'Credit card' },
    { value: 'ACH_DEBIT', label: 'ACH debit' },
  ],
};
const voice = {
  name: 'voice',
  suggested: [
    { value: 'alice', label: 'Alice' },
    { value: 'Polly.Joanna', label: 'Joanna: English (US), female' },
  ],
};

test('an enumerated value reads as its label', () => {
  assert.equal(choiceLabel(paymentMethod, 'CREDIT_CARD'), 'Credit card');
  assert.equal(choiceLabel(paymentMethod, 'ACH_DEBIT'), 'ACH debit');
});

test('a suggested value reads as its label; anything else, Liquid included, as itself', () => {
  assert.equal(choiceLabel(voice, 'Polly.Joanna'), 'Joanna: English (US), female');
  assert.equal(choiceLabel(voice, '{{flow.variables.voice}}'), '{{flow.variables.voice}}');
  assert.equal(choiceLabel(voice, undefined), '');
  assert.equal(choiceLabel({ name: 'x' }, 'y'), 'y');
});

test('a select offers the stored values with their labels', () => {
  assert.deepEqual(choiceOptions(paymentMethod, 'CREDIT_CARD'), [
    { value: 'CREDIT_CARD', label: 'Credit card' },
    { value: 'ACH_DEBIT', label: 'ACH debit' },
  ]);
});

test('a stored value outside the enumeration is kept as an option of its own', () => {
  const options = choiceOptions(paymentMethod, 'PAYPAL');
  assert.deepEqual(options.at(-1), { value: 'PAYPAL', label: 'PAYPAL' });
  assert.equal(options.length, 3);
});

test('an enumeration without labels still lists its values', () => {
  assert.deepEqual(choiceOptions({ enum: ['GET', 'POST'] }, ''), [
    { value: 'GET', label: 'GET' },
    { value: 'POST', label: 'POST' },
  ]);
});

test('a field shown only for some values of another shows for them, or when it holds a value', () => {
  const def = {
    properties: [
      { name: 'noun', default: 'number' },
      { name: 'sip_endpoint', shown_when: { property: 'noun', values: ['sip'] } },
      { name: 'to' },
    ],
  };
  const [noun, sip, to] = def.properties;
  assert.equal(isShown(sip, {}, def), false); // the default noun is a single number
  assert.equal(isShown(sip, { noun: 'number' }, def), false);
  assert.equal(isShown(sip, { noun: 'sip' }, def), true);
  assert.equal(isShown(sip, { noun: 'number', sip_endpoint: 'sip:desk@example.com' }, def), true);
  assert.equal(isShown(to, {}, def), true);
  assert.equal(isShown(noun, {}, def), true);
});

test('a field needed only for some values of another is marked for them', () => {
  const def = {
    properties: [
      { name: 'noun', default: 'number', required: true },
      { name: 'to', required_when: { property: 'noun', values: ['number', 'client'] } },
      { name: 'caller_id' },
    ],
  };
  const [noun, to, callerId] = def.properties;
  assert.equal(isRequired(to, {}, def), true);
  assert.equal(isRequired(to, { noun: 'client' }, def), true);
  assert.equal(isRequired(to, { noun: 'sip' }, def), false);
  assert.equal(isRequired(noun, {}, def), true);
  assert.equal(isRequired(callerId, {}, def), false);
});

test("a Run Subflow's flow SID offers the team's flows by name", () => {
  const prop = { name: 'flow_sid', type: 'string', offers: 'flows' };
  const flows = [{ sid: 'FW1', friendly_name: 'Opening hours' }, { sid: 'FW2', friendly_name: '' }];
  const offered = withOffers(prop, flows);
  assert.deepEqual(offered.suggested, [
    { value: 'FW1', label: 'Opening hours' },
    { value: 'FW2', label: 'FW2' },
  ]);
  assert.equal(choiceLabel(offered, 'FW1'), 'Opening hours');
  // Other properties, and a document without team_flows, are left as they are.
  const voice = { name: 'voice', suggested: [{ value: 'alice', label: 'Alice' }] };
  assert.equal(withOffers(voice, flows), voice);
  assert.deepEqual(withOffers(prop, undefined).suggested, []);
});
