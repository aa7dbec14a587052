// The linter's findings in the Problems panel (docs/linter.md): filtered by severity,
// grouped by severity or by widget; a click goes to the widget and the field, "Fix" applies
// the finding's edits as one ordinary edit (undo takes it back, the others see it).
import { useState } from 'react';
import { SEVERITIES, countFindings, groupFindings } from '../lint.js';
import { plural } from '../text.js';
import Words from './Words.jsx';

const SEVERITY_WORDS = { error: 'error', warning: 'warning', info: 'note' };
const GROUP_TITLES = { error: 'Errors', warning: 'Warnings', info: 'Notes' };

/** The rule's id with its description as the tooltip; a click shows the description. */
export function RuleTag({ rule, rules }) {
  const [open, setOpen] = useState(false);
  const description = (rules && rules[rule] && rules[rule].description) || '';
  return (
    <>
      <button type="button" className="cv-rule" title={description} onClick={() => setOpen(!open)} aria-expanded={open} data-testid={`rule-${rule}`}>
        {rule}
      </button>
      {open ? <span className="cv-rule-description cv-help">{description} (docs/linter.md)</span> : null}
    </>
  );
}

export function FindingRow({ finding, rules, onGo, onFix, canFix }) {
  const index = finding.index;
  return (
    <li className={`cv-problem cv-problem-${finding.severity} cv-finding`} data-severity={finding.severity} data-rule={finding.rule} data-testid={`finding-${index}`}>
      <span className={`cv-sev cv-sev-${finding.severity}`}>{SEVERITY_WORDS[finding.severity]}</span>{' '}
      {finding.widget && onGo ? (
        <button type="button" className="cv-link" onClick={() => onGo(finding)} data-testid={`finding-go-${index}`}>
          {finding.widget}
        </button>
      ) : (
        <strong>{finding.widget || 'Flow'}</strong>
      )}
      {finding.place ? <span className="cv-problem-place"> · {finding.place}</span> : null} <RuleTag rule={finding.rule} rules={rules} />
      <span className="cv-problem-message"><Words text={finding.message} /></span>
      {finding.fix && onFix ? (
        <button
          type="button"
          className="cv-button cv-button-small"
          disabled={!canFix}
          title={canFix ? finding.fix.label : 'Checking the latest change…'}
          onClick={() => onFix(finding)}
          data-testid={`finding-fix-${index}`}
        >
          Fix: {finding.fix.label}
        </button>
      ) : null}
    </li>
  );
}

export default function LintFindings({ lint, readOnly, onGo, onFix }) {
  const [shown, setShown] = useState(() => new Set(SEVERITIES));
  const [by, setBy] = useState('severity');
  const { total } = countFindings(lint.findings);
  const groups = groupFindings(lint.findings, { by, shown });
  const toggle = (severity) => {
    const next = new Set(shown);
    if (next.has(severity)) next.delete(severity);
    else next.add(severity);
    setShown(next);
  };
  return (
    <section className="cv-lint" data-testid="lint-findings" data-stale={lint.stale ? 'true' : 'false'}>
      <h3 className="cv-subhead">Linter</h3>
      <div className="cv-row cv-lint-tools">
        {SEVERITIES.map((s) => (
          <label key={s} className={`cv-check cv-sev-${s}`}>
            <input type="checkbox" checked={shown.has(s)} onChange={() => toggle(s)} data-testid={`lint-filter-${s}`} /> {plural(total[s], SEVERITY_WORDS[s])}
          </label>
        ))}
        <label>
          Group by{' '}
          <select value={by} onChange={(e) => setBy(e.target.value)} data-testid="lint-group">
            <option value="severity">severity</option>
            <option value="widget">widget</option>
          </select>
        </label>
      </div>
      {lint.error ? <p className="cv-muted">The linter could not be reached: {lint.error}</p> : null}
      {groups.map((group) => (
        <div key={group.key} data-testid={`lint-group-${group.key || 'flow'}`}>
          <h4>{by === 'severity' ? GROUP_TITLES[group.key] || group.key : group.key || 'The flow'}</h4>
          <ul className="cv-problems">
            {group.items.map((f) => (
              <FindingRow key={f.index} finding={f} rules={lint.rules} onGo={onGo} onFix={readOnly ? null : onFix} canFix={!lint.stale} />
            ))}
          </ul>
        </div>
      ))}
      {lint.findings.length ? null : <p className="cv-muted" data-testid="lint-clean">The linter finds nothing to report.</p>}
    </section>
  );
}
