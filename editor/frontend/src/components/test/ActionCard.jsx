// What a voice or contact-centre instruction would do (an `action` entry; the fields each
// verb carries are those of editor/engine/widgets/), and, while the execution waits on it,
// one button per event it may fire.
import WaitEvents from './WaitEvents.jsx';
import Media from './Media.jsx';
import { flagWord } from '../../live/words.js';

const PROMPT = [['say', 'Say'], ['play', 'Play'], ['digits', 'Play digits'], ['voice', 'Voice'], ['language', 'Language'], ['loop', 'Loop']];

const VERBS = {
  say_play: { title: 'Say / play', fields: PROMPT },
  gather: {
    title: 'Gather input',
    fields: [...PROMPT, ['timeout', 'Timeout (s)'], ['finish_on_key', 'Finish on key'], ['number_of_digits', 'Number of digits'], ['speech_timeout', 'Speech timeout'], ['gather_language', 'Speech language'], ['hints', 'Hints']],
  },
  dial: { title: 'Connect call to', fields: [['to', 'Dial'], ['noun', 'Kind'], ['caller_id', 'Caller ID'], ['sip', 'SIP'], ['record', 'Record'], ['timeout', 'Ring timeout (s)'], ['time_limit', 'Time limit (s)']] },
  call: { title: 'Make outgoing call', fields: [['to', 'To'], ['from', 'From'], ['timeout', 'Timeout (s)'], ['record', 'Record'], ['detect_answering_machine', 'Detect machine'], ['send_digits', 'Send digits']] },
  enqueue: {
    title: 'Enqueue call',
    fields: [['queue_name', 'Queue'], ['workflow_sid', 'Workflow SID'], ['task_attributes', 'Task attributes'], ['priority', 'Priority'], ['timeout', 'Timeout (s)'], ['wait_url', 'Wait URL']],
  },
  flex: { title: 'Send to Flex', fields: [['workflow', 'Workflow SID'], ['channel', 'Task channel'], ['attributes', 'Task attributes'], ['priority', 'Priority'], ['timeout', 'Timeout (s)']] },
  create_task: { title: 'Flex task created', fields: [['sid', 'Task SID'], ['workflow', 'Workflow SID'], ['channel', 'Task channel'], ['attributes', 'Task attributes'], ['priority', 'Priority']] },
  record: {
    title: 'Record voicemail',
    fields: [['max_length', 'Max length (s)'], ['timeout', 'Silence timeout (s)'], ['finish_on_key', 'Finish on key'], ['transcribe', 'Transcribe'], ['play_beep', 'Beep'], ['trim', 'Trim'], ['transcription_callback_url', 'Transcription callback'], ['recording_status_callback_url', 'Status callback']],
  },
  record_call: { title: 'Record call', fields: [['start', 'Start recording'], ['recording_channels', 'Channels'], ['trim', 'Trim'], ['recording_status_callback', 'Status callback']] },
  pay: {
    title: 'Capture payment',
    fields: [['payment_amount', 'Amount'], ['currency', 'Currency'], ['description', 'Description'], ['payment_connector', 'Connector'], ['payment_method', 'Method'], ['valid_card_types', 'Cards'], ['max_attempts', 'Attempts']],
  },
  virtual_agent: { title: 'Connect virtual agent', fields: [['connector', 'Connector'], ['connector_name', 'Connector'], ['language', 'Language'], ['configurations', 'Configurations'], ['parameters', 'Parameters'], ['status_callback', 'Status callback']] },
  autopilot: { title: 'Send to Autopilot', fields: [['assistant_sid', 'Assistant SID'], ['body', 'Body'], ['target_task', 'Target task'], ['memory', 'Memory']] },
  stream: { title: 'Media stream', fields: [['stream_action', 'Action'], ['url', 'URL'], ['name', 'Name'], ['track', 'Track'], ['transport', 'Transport'], ['parameters', 'Parameters']] },
  redirect: { title: 'TwiML redirect', fields: [['url', 'URL'], ['method', 'Method']] },
  conversation_relay: { title: 'Conversation relay', fields: [['url', 'URL'], ['welcome_greeting', 'Welcome greeting'], ['voice', 'Voice'], ['language', 'Language'], ['parameters', 'Parameters']] },
  start_conversation: { title: 'Conversation started', fields: [['sid', 'Conversation SID'], ['friendly_name', 'Name'], ['service_sid', 'Service SID'], ['attributes', 'Attributes']] },
  resume_conversation: { title: 'Conversation resumed', fields: [['sid', 'Conversation SID']] },
  external: { title: 'External widget', fields: [['widget_type', 'Widget type'], ['properties', 'Properties']] },
};
const SKIP = new Set(['seq', 'at', 'kind', 'verb', 'widget', 'type', 'flex', 'events']);

const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length);

function jsonText(value) {
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? JSON.stringify(parsed, null, 2) : value;
  } catch (error) {
    return value;
  }
}

function Value({ name, value }) {
  const flag = flagWord(value);
  if (flag) return flag;
  if (name === 'play') return <audio controls src={value} className="tp-audio" data-testid="action-audio" />;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ');
  if (typeof value === 'object' || /attributes$/.test(name)) return <pre className="tp-json">{jsonText(value)}</pre>;
  return String(value);
}

/** The verb's own fields in words, known ones first, anything else after. */
export function actionRows(action) {
  const spec = VERBS[action.verb === 'enqueue' && action.flex ? 'flex' : action.verb];
  const known = spec ? spec.fields : [];
  const named = new Set(known.map(([key]) => key));
  const rest = Object.keys(action)
    .filter((key) => !named.has(key) && !SKIP.has(key))
    .map((key) => [key, key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, ' ')]);
  return [...known, ...rest].filter(([key]) => !empty(action[key]) && !idleSetting(action, key));
}

/** A callback's method or events with no callback URL to use them ("Wait url method: GET"
 * on a queue with no wait URL): the widget's defaults, saying nothing about this run. */
function idleSetting(action, key) {
  const match = /^(.*(?:url|callback))_(?:method|events)$/.exec(key);
  return Boolean(match) && empty(action[match[1]]);
}

export function actionTitle(action) {
  const spec = VERBS[action.verb === 'enqueue' && action.flex ? 'flex' : action.verb];
  const title = spec ? spec.title : action.verb.replace(/_/g, ' ');
  return action.verb === 'external' ? `${title}: ${action.widget_type}` : title;
}

/** The card's text: the title, the widget, the fields. */
export function ActionSummary({ action }) {
  const rows = actionRows(action);
  return (
    <div className="tp-card" data-testid={`action-${action.widget}`}>
      <div className="tp-card-head">
        <strong>{actionTitle(action)}</strong> <span className="cv-muted cv-small">{action.widget}</span>
      </div>
      {rows.length ? (
        <dl className="tp-fields">
          {rows.map(([key, label]) => (
            <div key={key}>
              <dt>{label}</dt>
              <dd>
                <Value name={key} value={action[key]} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {action.media_url ? <Media url={action.media_url} /> : null}
    </div>
  );
}

/**
 * One line for the instruction waited on: its title and its first field, named when its
 * value alone says nothing ("Record voicemail: Max length (s) 120", not "…: 120").
 */
export function actionLine(action) {
  const [first] = actionRows(action);
  const value = first ? action[first[0]] : '';
  const flag = flagWord(value);
  const text = flag || (Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? '' : String(value ?? ''));
  if (!text) return actionTitle(action);
  const bare = typeof value === 'number' || Boolean(flag) || /^\d+(\.\d+)?$/.test(text);
  return `${actionTitle(action)}: ${bare ? `${first[1]} ${text}` : text}`;
}

/**
 * The instruction the execution waits on (its full card is in the transcript) and one
 * button per event it may fire.
 */
export default function ActionCard({ wait, catalogue, onFire, disabled, handled }) {
  return (
    <div className="tp-waiting" data-testid="waiting-card" data-widget={wait.widget}>
      <p className="tp-now">
        <span className="cv-muted">Waiting at {wait.widget}:</span> {wait.action ? actionLine(wait.action) : wait.widget_type}
      </p>
      <WaitEvents wait={wait} catalogue={catalogue} onFire={onFire} disabled={disabled} handled={handled} withParams takeFocus />
    </div>
  );
}
