// The run's steps (event, from → to). Choosing one asks for the context it left behind
// (step.context) and centres its widget; Replay walks the path on the canvas.
import { useEffect, useRef, useState } from 'react';

const REPLAY_EVERY = 700; // ms per step: slow enough to follow with the eye

export default function StepList({ steps, chosen, onChoose, onFocus }) {
  const [replaying, setReplaying] = useState(null); // index of the step shown, or null
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  function replay() {
    clearTimeout(timer.current);
    const show = (i) => {
      if (i >= steps.length) {
        setReplaying(null);
        onFocus(null);
        return;
      }
      setReplaying(i);
      onFocus(steps[i].to !== 'Ended' ? steps[i].to : steps[i].from);
      timer.current = setTimeout(() => show(i + 1), REPLAY_EVERY);
    };
    if (steps.length) {
      onFocus(steps[0].from);
      timer.current = setTimeout(() => show(0), REPLAY_EVERY);
    }
  }
  function stop() {
    clearTimeout(timer.current);
    setReplaying(null);
    onFocus(null);
  }

  if (!steps.length) return <p className="cv-muted tp-pad">No steps yet.</p>;
  return (
    <div className="tp-steps-box">
      <div className="cv-row tp-pad">
        {replaying === null ? (
          <button type="button" className="cv-button cv-button-small" onClick={replay} data-testid="steps-replay">
            Replay path
          </button>
        ) : (
          <button type="button" className="cv-button cv-button-small" onClick={stop} data-testid="steps-replay-stop">
            Stop replay
          </button>
        )}
        <span className="cv-muted cv-small">Choose a step to see the context it left.</span>
      </div>
      <ol className="tp-steps" data-testid="step-list">
        {steps.map((step, i) => {
          const classes = ['tp-step'];
          if (chosen === step.step) classes.push('is-chosen');
          if (replaying === i) classes.push('is-replayed');
          return (
            <li key={step.step}>
              <button
                type="button"
                className={classes.join(' ')}
                onClick={() => onChoose(step)}
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
