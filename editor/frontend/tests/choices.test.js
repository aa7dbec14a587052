// The inspector's labels for enumerated and suggested values (src/catalogue.js), read from
// the catalogue's `choices` and `suggested` (editor/flowspec/catalogue/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choiceLabel, choiceOptions } from '../src/catalogue.js';

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
