// The phone keypad of a Gather Input On Call wait: keys build the digits; the wait's
// finish_on_key (or reaching number_of_digits, or Send) sends them with run.gather, without
// the finish key, as Twilio reports Digits; digits typed in the box go with Enter too.
// Speech goes in as text, when the Gather listens for it: Studio asks Twilio for speech only
// while its Speech transition leads somewhere (the action's input is then "dtmf speech");
// otherwise a caller's words are not heard, and the box would end the call by Speech.
import { useEffect, useRef, useState } from 'react';
import { focusIfLost, lengthProblem } from '../../live/inputs.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const keyId = (key) => ({ '*': 'star', '#': 'hash' })[key] || key;

export default function Keypad({ action, onGather, disabled }) {
  const [digits, setDigits] = useState('');
  const [speech, setSpeech] = useState('');
  const box = useRef(null);
  // Start (or the key that answered the last Gather) went away with the focus: a keyboard
  // user types the digits here rather than from the page's top.
  useEffect(() => {
    focusIfLost(box.current, disabled);
  }, [disabled]);
  const finish = action && typeof action.finish_on_key === 'string' ? action.finish_on_key : '#';
  const wanted = action && Number(action.number_of_digits) > 0 ? Number(action.number_of_digits) : 0;

  function send(text) {
    if (onGather({ digits: text })) setDigits('');
  }
  function press(key) {
    if (finish && key === finish) {
      send(digits);
      return;
    }
    const next = digits + key;
    if (wanted && next.length >= wanted) send(next);
    else setDigits(next);
  }
  const listens = !action || typeof action.input !== 'string' || action.input.split(' ').includes('speech');
  // Typed in the box as on the keys, the finish key sends what came before it (not the key
  // itself, which Twilio leaves out of Digits); other digits wait for Enter or Send.
  function typed(text) {
    const at = finish ? text.indexOf(finish) : -1;
    if (!disabled && at >= 0) send(text.slice(0, at));
    else setDigits(text);
  }
  const speechProblem = lengthProblem(speech);
  function say(e) {
    e.preventDefault();
    if (speech.trim() && !speechProblem && onGather({ speech: speech.trim() })) setSpeech('');
  }

  return (
    <div className="tp-keypad-box" data-testid="keypad">
      <div className="tp-keypad" role="group" aria-label="Keypad">
        {KEYS.map((key) => (
          <button type="button" key={key} className="tp-key" onClick={() => press(key)} disabled={disabled} data-testid={`key-${keyId(key)}`}>
            {key}
          </button>
        ))}
      </div>
      <div className="tp-keypad-side">
        <form
          className="tp-digits-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (!disabled && digits) send(digits);
          }}
        >
          <input
            ref={box}
            aria-label="Digits pressed"
            value={digits}
            onChange={(e) => typed(e.target.value.replace(/[^0-9*#]/g, ''))}
            data-testid="call-digits"
          />
          <button type="button" className="cv-button cv-button-small" onClick={() => setDigits('')} disabled={!digits}>
            Clear
          </button>
          <button type="submit" className="cv-button cv-button-primary cv-button-small" disabled={disabled || !digits} data-testid="keypad-send">
            Send
          </button>
        </form>
        <p className="cv-help">
          {finish ? `${finish} sends the digits` : 'No finish key: Send sends them'}
          {wanted ? `; they go at once after ${wanted} digit${wanted === 1 ? '' : 's'}` : ''}.
        </p>
        {listens ? (
          <form className="tp-reply-row" onSubmit={say}>
            <input
              aria-label="Say something (speech)"
              placeholder="Or say something…"
              value={speech}
              onChange={(e) => setSpeech(e.target.value)}
              disabled={disabled}
              aria-invalid={Boolean(speechProblem)}
              aria-describedby={speechProblem ? 'tp-speech-error' : undefined}
              data-testid="call-speech"
            />
            <button type="submit" className="cv-button cv-button-small" disabled={disabled || Boolean(speechProblem) || !speech.trim()} data-testid="call-speech-send">
              Say
            </button>
          </form>
        ) : (
          <p className="cv-help" data-testid="call-speech-off">
            This Gather listens for keys only: connect its Speech transition to take speech.
          </p>
        )}
        {speechProblem ? (
          <p className="cv-field-error" id="tp-speech-error" data-testid="speech-error">
            {speechProblem}
          </p>
        ) : null}
      </div>
    </div>
  );
}
