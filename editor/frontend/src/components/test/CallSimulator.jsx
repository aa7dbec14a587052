// A call run: what the flow says and plays, what the wait needs (WaitControls.jsx: a keypad
// and a speech box for a Gather, the reply box for a text sent to the caller, a card with
// event buttons for every other instruction), and Hang up.
import { useEffect, useRef, useState } from 'react';
import Transcript from './Transcript.jsx';
import WaitControls from './WaitControls.jsx';

const speaks = (entry) => entry.kind === 'action' && (entry.verb === 'say_play' || entry.verb === 'gather') && entry.say;

/**
 * Reads new prompts aloud with the browser's speech synthesis while `on`. A new call (`sid`)
 * is spoken from its start, and what the last one was saying stops: the panel stays, with
 * its Speak box ticked, from one run to the next, and the new run's entries are numbered
 * from 1 again.
 */
function useSpeech(on, sid, entries) {
  const spoken = useRef({ sid, seq: 0 });
  useEffect(() => {
    const synth = window.speechSynthesis;
    const last = entries.length ? entries[entries.length - 1].seq : 0;
    if (spoken.current.sid !== sid) {
      if (synth) synth.cancel();
      spoken.current = { sid, seq: 0 };
    }
    if (!on || !synth) {
      spoken.current.seq = last; // turning it on later speaks only what comes next
      return;
    }
    for (const entry of entries) {
      if (entry.seq <= spoken.current.seq || !speaks(entry)) continue;
      const utterance = new window.SpeechSynthesisUtterance(entry.say);
      if (entry.language) utterance.lang = entry.language;
      synth.speak(utterance);
    }
    spoken.current.seq = last;
  }, [on, sid, entries]);
  useEffect(() => () => window.speechSynthesis && window.speechSynthesis.cancel(), []);
}

export default function CallSimulator({ run, catalogue, actions, disabled }) {
  const { execution, entries } = run;
  const [speak, setSpeak] = useState(false);
  useSpeech(speak, execution && execution.sid, entries);
  const active = execution && execution.status === 'active';
  const wait = active ? execution.wait : null;
  return (
    <div className="tp-sim tp-call" data-testid="call-simulator">
      <div className="cv-row tp-call-bar">
        <span className={`cv-chip${active ? ' tp-live' : ''}`}>{active ? 'On the call' : 'Call ended'}</span>
        {'speechSynthesis' in window ? (
          <label className="cv-check">
            <input type="checkbox" checked={speak} onChange={(e) => setSpeak(e.target.checked)} data-testid="call-speak" /> Speak prompts
          </label>
        ) : null}
        {active ? (
          <button type="button" className="cv-button cv-button-small tp-hangup" onClick={actions.hangup} disabled={disabled} data-testid="call-hangup">
            Hang up
          </button>
        ) : null}
      </div>
      <Transcript entries={entries} label="Call" />
      {wait ? (
        <div className="tp-controls">
          <WaitControls wait={wait} entries={entries} catalogue={catalogue} actions={actions} disabled={disabled} />
        </div>
      ) : null}
    </div>
  );
}
