// One case's result: why it failed (the widget, which the canvas highlights), every
// assertion, the path it took, and the steps the case's mocks answered.
import { mockedSteps } from './overlay.js';

export default function CaseResult({ result, onJump }) {
  if (!result) return null;
  const failure = result.failure;
  const mocked = mockedSteps(result);
  return (
    <div className="tc-result" data-testid="case-result" data-status={result.status}>
      {failure ? (
        <p className="tc-failure" data-testid="case-failure">
          {failure.widget ? (
            <button type="button" className="cv-link" onClick={() => onJump(failure.widget)} data-testid="case-failure-widget">
              {failure.widget}
            </button>
          ) : null}
          {failure.step ? ` (step ${failure.step})` : ''}: {failure.message}
        </p>
      ) : null}
      <ul className="tc-assertions">
        {(result.assertions || []).map((a, n) => (
          <li key={n} className={a.ok ? 'is-ok' : 'is-bad'}>
            {a.ok ? '✓' : '✗'} {a.assertion}
            {a.ok ? '' : ` — ${a.message || `expected ${a.expected}, got ${a.actual}`}`}
          </li>
        ))}
      </ul>
      {result.path && result.path.length ? <p className="cv-small cv-muted">Path: {result.path.join(' → ')}</p> : null}
      {mocked.length ? (
        <p className="cv-small cv-muted tc-mocked-steps" data-testid="case-mocked">
          Mocked:{' '}
          {mocked.map((m) => (
            <span key={m.index} className="tc-mocked-step" title={m.title} data-testid="case-mocked-step">
              step {m.index} {m.widget} <span className="cv-chip tp-mocked">{m.label}</span>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
