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
