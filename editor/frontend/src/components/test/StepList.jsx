// The run's steps (event, from → to). Choosing one asks for the context it left behind
// (step.context) and centres its widget; Replay walks the path on the canvas.
import { useCallback, useEffect, useRef, useState } from 'react';
import MockedBadge from './MockedBadge.jsx';
import { subflowHost } from '../../live/transcript.js';

const REPLAY_EVERY = 700; // ms per step: slow enough to follow with the eye

/**
 * Walks the run's path on the canvas, one step every REPLAY_EVERY ms; with `auto`, once,
 * as soon as there are steps (the executions page's "Show on canvas").
 */
export function useReplay(steps, onFocus, auto, flowSid) {
  const [index, setIndex] = useState(null); // the step shown, or null
  const timer = useRef(null);
  const played = useRef(false);
  const latest = useRef({});
  latest.current = { steps, onFocus, flowSid };
  useEffect(() => () => clearTimeout(timer.current), []);

  const stop = useCallback(() => {
    clearTimeout(timer.current);
    setIndex(null);
    latest.current.onFocus(null);
  }, []);
  const start = useCallback(() => {
    clearTimeout(timer.current);
    const show = (i) => {
      const path = latest.current.steps;
      if (i >= path.length) {
        setIndex(null);
        latest.current.onFocus(null);
        return;
      }
      setIndex(i);
      // A subflow's steps are shown on its Run Subflow widget, the one on this canvas.
      const host = subflowHost(path, i, latest.current.flowSid);
      latest.current.onFocus(host || (path[i].to !== 'Ended' ? path[i].to : path[i].from));
      timer.current = setTimeout(() => show(i + 1), REPLAY_EVERY);
    };
    const first = latest.current.steps[0];
    if (!first) return;
    latest.current.onFocus(first.from);
    timer.current = setTimeout(() => show(0), REPLAY_EVERY);
  }, []);

  useEffect(() => {
    if (!auto || played.current || !steps.length) return;
    played.current = true;
    start();
  }, [auto, steps.length, start]);
  return { index, start, stop };
}

export default function StepList({ steps, entries, chosen, onChoose, replay, flowSid }) {
  const replaying = replay.index;
  // The debugger's edits (docs/debugger.md) are part of the run's history, between its steps.
  const index = new Map(steps.map((s, i) => [s.step, i]));
  const rows = entries ? entries.filter((e) => (e.kind === 'step' && index.has(e.step)) || (e.kind === 'debug' && e.event === 'edit')) : steps;
  if (!steps.length) return <p className="cv-muted tp-pad">No steps yet.</p>;
  return (
    <div className="tp-steps-box">
      <div className="cv-row tp-pad">
        {replaying === null ? (
          <button type="button" className="cv-button cv-button-small" onClick={replay.start} data-testid="steps-replay">
            Replay path
          </button>
        ) : (
          <button type="button" className="cv-button cv-button-small" onClick={replay.stop} data-testid="steps-replay-stop">
            Stop replay
          </button>
        )}
        <span className="cv-muted cv-small">Choose a step to see the context it left.</span>
      </div>
      <ol className="tp-steps" data-testid="step-list">
        {rows.map((step) => {
          if (step.kind === 'debug') {
            return (
              <li key={`edit-${step.seq}`} className="tp-step-edit" data-testid="step-edit" data-path={step.path}>
                ✎ edited {step.path} = {JSON.stringify(step.value)}
              </li>
            );
          }
          const i = index.get(step.step);
          const host = subflowHost(steps, i, flowSid);
          const classes = ['tp-step'];
          if (chosen === step.step) classes.push('is-chosen');
          if (replaying === i) classes.push('is-replayed');
          return (
            <li key={step.step}>
              <button
                type="button"
                className={classes.join(' ')}
                onClick={() => onChoose(step, host)}
                aria-pressed={chosen === step.step}
                data-testid={`step-${i}`}
                data-from={step.from}
                data-to={step.to}
              >
                <span className="tp-step-n">{i + 1}</span>
                <span className="tp-step-body">
                  <span className="cv-event">{step.event}</span>
                  <span>
                    {step.from} → {step.to}
                  </span>
                  {host ? (
                    <span className="cv-chip cv-small" title={`A step of the subflow run by ${host}`} data-testid="step-subflow">
                      in subflow · {host}
                    </span>
                  ) : null}
                  <MockedBadge entry={step} />
                </span>
                <time className="cv-muted cv-small" dateTime={step.at}>
                  {new Date(step.at).toLocaleTimeString()}
                </time>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
