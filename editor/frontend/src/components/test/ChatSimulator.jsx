// A message, conversation, REST or subflow run as a chat: the transcript and what the wait
// needs (WaitControls.jsx: the reply box, or the keypad once a dialer's call is answered).
import Transcript from './Transcript.jsx';
import WaitControls from './WaitControls.jsx';

function Participants({ participants }) {
  if (!participants || !participants.length) return null;
  return (
    <ul className="tp-participants" aria-label="Participants" data-testid="participants">
      {participants.map((p, i) =>
        p.role === 'flow' ? (
          // The flow's address in a conversation is the conversation's SID: named, not shown.
          <li key={`flow:${i}`} className="cv-chip" title={`Conversation ${p.address}`} data-testid="participant-flow">
            This flow <span className="cv-muted">· Studio</span>
          </li>
        ) : (
          <li key={`${p.sid}:${i}`} className="cv-chip" title={p.sid || undefined}>
            {p.identity || p.address} <span className="cv-muted">· {p.role}</span>
          </li>
        ),
      )}
    </ul>
  );
}

export default function ChatSimulator({ run, catalogue, actions, disabled }) {
  const { execution, entries } = run;
  const wait = execution && execution.status === 'active' ? execution.wait : null;
  return (
    <div className="tp-sim tp-chat" data-testid="chat-simulator">
      <Participants participants={execution && execution.participants} />
      <Transcript entries={entries} label="Conversation" />
      {wait ? (
        <div className="tp-controls">
          <WaitControls wait={wait} entries={entries} catalogue={catalogue} actions={actions} disabled={disabled} hangUp />
        </div>
      ) : null}
    </div>
  );
}
