export default function ProblemsPanel({ problems, onJump }) {
  return (
    <div className="cv-panel-body" data-testid="problems-panel">
      {problems.length ? (
        <ul className="cv-problems">
          {problems.map((p, i) => (
            <li key={i}>
              {p.widget ? (
                <button type="button" className="cv-link" onClick={() => onJump(p.widget)} data-testid={`problem-${i}`}>
                  {p.widget}
                </button>
              ) : (
                <span className="cv-muted">Flow</span>
              )}
              <span> {p.message}</span>
              <code className="cv-path">{p.property_path}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p className="cv-muted">No problems: the flow can be published.</p>
      )}
    </div>
  );
}
