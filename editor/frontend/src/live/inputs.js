// What the tester types into the Test panel, checked before anything is sent: a value the
// server would refuse (docs/protocol.schema.json) gets a message beside its field, the text
// stays where it is and the button that sends it waits.

// run.start's and run.reply's `body` and run.gather's `speech`: an SMS's 1,600 characters,
// as Twilio limits a message Body.
export const MAX_TEXT = 1600;

const count = (n) => n.toLocaleString('en-US');

/** Why `text` is too long to send as a message or speech, or ''. */
export function lengthProblem(text, max = MAX_TEXT) {
  const n = [...text].length;
  return n > max ? `Too long: ${count(n)} characters, and a message may have at most ${count(max)} (Twilio's limit for a message body).` : '';
}

/** The path of the first number in `value` that JSON cannot hold (1e999 reads as Infinity), or null. */
export function unsafeNumber(value, path = '') {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path;
  if (!value || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = unsafeNumber(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/** The parameters as an object, or an error in words. */
export function parseParameters(text) {
  if (!text.trim()) return { value: {} };
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${error.message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: 'Parameters must be a JSON object, like {"name": "Ana"}.' };
  // Such a number would otherwise be sent as null without a word.
  const unsafe = unsafeNumber(value, '');
  if (unsafe !== null) return { error: `The number at ${unsafe} is too large to send; put it in quotes to send it as text.` };
  return { value };
}

/**
 * Give `element` the focus if nobody has it: the control that had it (Start, a reply's Send,
 * an event's button) went away, was turned off or hidden (Start stays in the page, in the
 * start form that closes once the run has started), and the focus fell to the page itself.
 * Checked again once the render that mounted `element` is over: the start form closes in an
 * effect that runs after the one calling this.
 */
export function focusIfLost(element, disabled) {
  const lost = () => {
    const active = document.activeElement;
    return !active || active === document.body || active.disabled || !active.getClientRects().length;
  };
  const take = () => {
    if (element && element.isConnected && !element.disabled && !disabled && lost()) element.focus();
  };
  take();
  setTimeout(take, 0);
}
