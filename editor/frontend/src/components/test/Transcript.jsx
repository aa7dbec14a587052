// The transcript of an execution (its entries): the tester's input on the right, what the
// flow sent on the left, steps as small muted lines, the end as a final line.
import { useEffect, useMemo, useRef } from 'react';
import { ActionSummary } from './ActionCard.jsx';
import Media from './Media.jsx';
import MockedBadge from './MockedBadge.jsx';
import { inputLine, subflowHosts } from '../../live/transcript.js';

const BUBBLE_INPUTS = new Set(['message', 'conversation', 'reply']);

function Muted({ children, testid, kind, seq }) {
  return (
    <li className={`tp-line tp-line-${kind}`} data-testid={testid} data-seq={seq}>
      {children}
    </li>
  );
}

function InputEntry({ entry }) {
  if (BUBBLE_INPUTS.has(entry.input)) {
    return (
      <li className="tp-bubble tp-bubble-in" data-testid="bubble-in" data-seq={entry.seq}>
        {entry.author || entry.from ? <span className="tp-who">{entry.author || entry.from}</span> : null}
        {entry.body ? <span className="tp-text">{entry.body}</span> : null}
        <Media url={entry.media_url} />
      </li>
    );
  }
  if (entry.input === 'gather') {
    const text = entry.digits ? `Pressed ${entry.digits}` : `Said “${entry.speech || ''}”`;
    return (
      <li className="tp-bubble tp-bubble-in" data-testid="bubble-in" data-seq={entry.seq}>
        <span className="tp-text">{text}</span>
      </li>
    );
  }
  const line = inputLine(entry);
  return (
    <Muted kind="input" testid="transcript-input" seq={entry.seq}>
      {line}
      {entry.source && entry.source !== 'test' ? <span className="tp-source"> · {entry.source}</span> : null}
    </Muted>
  );
}

function MessageEntry({ entry }) {
  return (
    <li className="tp-bubble tp-bubble-out" data-testid="bubble-out" data-widget={entry.widget} data-seq={entry.seq}>
      <span className="tp-who">
        {entry.widget} → {entry.to}
      </span>
      {entry.body ? <span className="tp-text">{entry.body}</span> : null}
      <Media url={entry.media_url} />
      {entry.content_sid ? <span className="tp-who">Content template {entry.content_sid}</span> : null}
    </li>
  );
}

function Entry({ entry, host }) {
  switch (entry.kind) {
    case 'input':
      return <InputEntry entry={entry} />;
    case 'message':
      return <MessageEntry entry={entry} />;
    case 'action':
      return (
        <li className="tp-action" data-testid="transcript-action" data-verb={entry.verb} data-seq={entry.seq}>
          <ActionSummary action={entry} />
        </li>
      );
    case 'step':
      return (
        <Muted kind="step" testid="transcript-step" seq={entry.seq}>
          {entry.from} —{entry.event}→ {entry.to} <MockedBadge entry={entry} />
          {host ? (
            <span className="cv-chip cv-small" title={`A step of the subflow run by ${host}`} data-testid="transcript-subflow">
              in subflow · {host}
            </span>
          ) : null}
        </Muted>
      );
    case 'debug': // the step debugger (docs/debugger.md)
      return (
        <Muted kind="debug" testid="transcript-debug" seq={entry.seq}>
          {entry.event === 'edit' ? `✎ ${entry.path} = ${JSON.stringify(entry.value)}` : `⏸ ${entry.event}${entry.widget ? ` ${entry.widget}` : ''}`}
        </Muted>
      );
    case 'ended':
      return (
        <Muted kind="ended" testid="transcript-ended" seq={entry.seq}>
          Ended: {entry.reason}
          {entry.detail ? ` (${entry.detail})` : ''}
        </Muted>
      );
    default:
      return null;
  }
}

export default function Transcript({ entries, label }) {
  const end = useRef(null);
  const count = entries.length;
  // "Trigger —incomingParent→ Ended" read as this flow's end: a subflow's steps say whose they are.
  const hosts = useMemo(() => subflowHosts(entries), [entries]);
  useEffect(() => {
    if (end.current && end.current.scrollIntoView) end.current.scrollIntoView({ block: 'nearest' });
  }, [count]);
  return (
    <ol className="tp-transcript" aria-label={label} aria-live="polite" data-testid="transcript">
      {entries.map((entry) => (
        <Entry key={entry.seq} entry={entry} host={hosts.get(entry.seq)} />
      ))}
      <li ref={end} className="tp-end" aria-hidden="true" />
    </ol>
  );
}
