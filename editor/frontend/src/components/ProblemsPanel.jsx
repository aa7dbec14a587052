// Every problem of the working copy, errors first, each naming its widget and field.
import { plural } from '../text.js';
import LintFindings from './LintFindings.jsx';
import Words from './Words.jsx';

function ProblemRow({ problem, index, onJump }) {
  // A problem with the whole document ("#") is a sentence of its own.
  let subject = problem.property_path === '#' ? null : <span className="cv-muted">Flow</span>;
  if (problem.widget && onJump) {
    subject = (
      <button type="button" className="cv-link" onClick={() => onJump(problem.widget)} data-testid={`problem-${index}`}>
        {problem.widget}
      </button>
    );
  } else if (problem.widget) {
    subject = <strong>{problem.widget}</strong>;
  }
  return (
    <li
      className={`cv-problem cv-problem-${problem.severity}`}
      data-severity={problem.severity}
      title={`${problem.message} (${problem.property_path})`}
    >
      {subject}
      {problem.place ? <span className="cv-problem-place" data-testid={`problem-place-${index}`}> · {problem.place}</span> : null}
      {/* The hint names the widget, the field and the fix; Twilio's wording is the tooltip. */}
      <span className="cv-problem-message"><Words text={problem.hint || problem.message} /></span>
    </li>
  );
}

/** Located problems (see problems.js) as a plain list, for the publish and import panels. */
export function ProblemList({ problems, testid }) {
  return (
    <ul className="cv-problems" data-testid={testid}>
      {problems.map((p, i) => (
        <ProblemRow key={i} problem={p} index={i} />
      ))}
    </ul>
  );
}

// Without validation errors Twilio takes the flow; "No problems" is said only when the linter
// (listed under it) has nothing to report either, not above its "1 error".
function publishable(warnings, lint) {
  if (lint && lint.findings && lint.findings.length) return 'Twilio accepts the flow as it is, so it can be published; the linter has more to say below.';
  return warnings.length ? 'No errors: the flow can be published.' : 'No problems: the flow can be published.';
}

export default function ProblemsPanel({ problems, onJump, lint, readOnly, onGoToFinding, onFix }) {
  const errors = problems.filter((p) => p.severity !== 'warning');
  const warnings = problems.filter((p) => p.severity === 'warning');
  // Rows are numbered across both groups (problem-0 is the first error, or the first warning).
  const groups = [
    { key: 'errors', items: errors, first: 0, title: `${plural(errors.length, 'error')}: fix before publishing` },
    { key: 'warnings', items: warnings, first: errors.length, title: `${plural(warnings.length, 'warning')}: publishing is still allowed` },
  ];
  return (
    <div className="cv-panel-body" data-testid="problems-panel">
      {groups.map((group) =>
        group.items.length ? (
          <section key={group.key} data-testid={`problems-${group.key}`}>
            <h3 className="cv-subhead">{group.title}</h3>
            <ul className="cv-problems">
              {group.items.map((p, i) => (
                <ProblemRow key={i} problem={p} index={group.first + i} onJump={onJump} />
              ))}
            </ul>
          </section>
        ) : null,
      )}
      {errors.length ? null : <p className="cv-muted" data-testid="problems-none">{publishable(warnings, lint)}</p>}
      {lint ? <LintFindings lint={lint} readOnly={readOnly} onGo={onGoToFinding} onFix={onFix} /> : null}
    </div>
  );
}
