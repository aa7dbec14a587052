// What the waiting widget needs from the tester, whatever started the run: the reply box
// for a Send & Wait For Reply (a call's flow may text the caller), the keypad and a speech
// box for a Gather (a REST-triggered dialer's answered call gathers too), and for every other
// instruction its card with one button per event. `hangUp`: a Hang up button beside the
// keypad, for a call the flow placed (the call simulator has its own in its bar).
import ActionCard from './ActionCard.jsx';
import Keypad from './Keypad.jsx';
import ReplyBox from './ReplyBox.jsx';
import WaitEvents from './WaitEvents.jsx';
import { waitKey } from '../../live/transcript.js';

export default function WaitControls({ wait, entries, catalogue, actions, disabled, hangUp = false }) {
  const verb = wait.action && wait.action.verb;
  if (wait.kind === 'reply') {
    return (
      <>
        <ReplyBox onReply={(body, media) => actions.reply(body, media)} disabled={disabled} />
        <WaitEvents wait={wait} catalogue={catalogue} onFire={actions.fire} disabled={disabled} handled={['incomingMessage']} />
      </>
    );
  }
  if (verb === 'gather') {
    return (
      <div className="tp-waiting" data-testid="waiting-gather" data-widget={wait.widget}>
        <p className="tp-now">
          <span className="cv-muted">{wait.widget} listens:</span> {wait.action.say || wait.action.play || 'press keys or speak'}
        </p>
        {/* A new wait is a new keypad: digits typed for the last one are not sent to this one. */}
        <Keypad key={waitKey(wait, entries)} action={wait.action} onGather={actions.gather} disabled={disabled} />
        <WaitEvents wait={wait} catalogue={catalogue} onFire={actions.fire} disabled={disabled} handled={['keypress', 'speech']} />
        {hangUp ? (
          <button type="button" className="cv-button cv-button-small tp-hangup" onClick={actions.hangup} disabled={disabled} data-testid="call-hangup">
            Hang up
          </button>
        ) : null}
      </div>
    );
  }
  return <ActionCard wait={wait} catalogue={catalogue} onFire={actions.fire} disabled={disabled} />;
}
