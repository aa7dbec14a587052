// One case's result: why it failed (the widget, which the canvas highlights), every
// assertion, and the path it took.

export default function CaseResult({ result, onJump }) {
  if (!result) return null;
  const failure = result.failure;
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
    </div>
  );
}
