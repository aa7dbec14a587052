// Whenever the execution waits, every event the wait lists can be fired from here (run.event),
// so no widget strands a test run. `handled` events have their own control (the reply box,
// the keypad) and get no button.
import { useEffect, useRef, useState } from 'react';
import { focusIfLost } from '../../live/inputs.js';

export function eventLabel(event, wait, catalogue) {
  if (event === wait.timeout_event) return 'Fire timeout';
  if (event === 'deliveryFailure') return 'Delivery failure';
  const def = catalogue && catalogue.byType[wait.widget_type];
  const label = def && def.event_labels && def.event_labels[event];
  // The event's name only where the label does not already say it: "Task Created
  // (callComplete)", but "Hangup", not "Hangup (hangup)".
  const same = label && label.replace(/\s+/g, '').toLowerCase() === event.toLowerCase();
  return label && !same ? `${label} (${event})` : label || event;
}

/** Optional callback parameters: key/value rows sent as run.event's `params`. */
function Params({ rows, setRows, disabled }) {
  const change = (i, key) => (e) => setRows(rows.map((r, j) => (j === i ? { ...r, [key]: e.target.value } : r)));
  return (
    <details className="tp-params">
      <summary>Callback parameters (optional)</summary>
      {rows.map((row, i) => (
        <div className="cv-kv-row" key={i}>
          <input aria-label="Parameter name" placeholder="Name, e.g. DialCallStatus" value={row.key} onChange={change(i, 'key')} disabled={disabled} />
          <input aria-label="Parameter value" placeholder="Value" value={row.value} onChange={change(i, 'value')} disabled={disabled} />
          <button type="button" className="cv-icon-button" aria-label="Remove parameter" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="cv-link" onClick={() => setRows([...rows, { key: '', value: '' }])}>
        Add parameter
      </button>
    </details>
  );
}

export default function WaitEvents({ wait, catalogue, onFire, disabled, handled = [], withParams = false, takeFocus = false }) {
  const [rows, setRows] = useState([]);
  const first = useRef(null);
  // The only controls of the wait (an action card): the first event takes a focus that was
  // lost when Start or the last event's button went away.
  useEffect(() => {
    if (takeFocus) focusIfLost(first.current, disabled);
  }, [takeFocus, disabled, wait.widget]);
  const events = wait.events.filter((e) => !handled.includes(e));
  if (!events.length) return null;
  const params = Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
  return (
    <div className="tp-events" data-testid="wait-events">
      <div className="cv-row" role="group" aria-label="Fire an event">
        {events.map((event, i) => (
          <button
            type="button"
            key={event}
            ref={i === 0 ? first : undefined}
            className="cv-button cv-button-small"
            onClick={() => onFire(event, params)}
            disabled={disabled}
            data-testid={`fire-${event}`}
          >
            {eventLabel(event, wait, catalogue)}
          </button>
        ))}
      </div>
      {withParams ? <Params rows={rows} setRows={setRows} disabled={disabled} /> : null}
    </div>
  );
}
