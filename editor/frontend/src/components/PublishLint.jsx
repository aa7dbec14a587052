// The publish dialog's linter part: the findings that publishing would add (those the
// published revision does not have, docs/linter.md), read from the stored draft once it is
// saved. Errors among them ask for an explicit "Publish anyway"; the server never refuses.
import { useEffect, useState } from 'react';
import { getJson } from '../api.js';
import { groupFindings, locateFindings, newSincePublished } from '../lint.js';
import { plural } from '../text.js';
import { FindingRow } from './LintFindings.jsx';

/** {state: 'loading'|'ready'|'failed', findings, rules, published}, for the saved draft. */
export function usePublishLint(url, saved, version, states, catalogue) {
  const [result, setResult] = useState({ state: 'loading', findings: [], rules: {}, published: false });
  useEffect(() => {
    if (!saved) return undefined;
    let current = true;
    setResult((r) => ({ ...r, state: 'loading' }));
    getJson(url)
      .then((answer) => {
        if (!current) return;
        const located = locateFindings(answer.findings, states, catalogue);
        const fresh = new Set(newSincePublished(answer));
        setResult({
          state: 'ready',
          // Errors first.
          findings: groupFindings(located.filter((f, i) => fresh.has(answer.findings[i]))).flatMap((g) => g.items),
          rules: answer.rules || {},
          published: Array.isArray(answer.new_since_published),
        });
      })
      .catch(() => current && setResult({ state: 'failed', findings: [], rules: {}, published: false }));
    return () => {
      current = false;
    };
  }, [url, saved, version]); // eslint-disable-line react-hooks/exhaustive-deps
  return result;
}

export default function PublishLint({ lint }) {
  if (lint.state === 'loading') return <p className="cv-muted" data-testid="publish-lint-loading">Running the linter…</p>;
  if (lint.state === 'failed') return <p className="cv-muted">The linter could not be reached; publishing does not need it.</p>;
  const errors = lint.findings.filter((f) => f.severity === 'error').length;
  const since = lint.published ? 'since the published revision' : 'in this first publish';
  return (
    <div className="cv-publish-lint" data-testid="publish-lint" data-errors={errors}>
      {lint.findings.length ? (
        <>
          <p className={errors ? 'cv-error' : 'cv-help'}>
            The linter finds {plural(lint.findings.length, 'new problem')} {since}
            {errors ? `, ${plural(errors, 'error')} among them: a contact would meet ${errors === 1 ? 'it' : 'them'}.` : '.'}
          </p>
          <ul className="cv-problems" data-testid="publish-lint-findings">
            {lint.findings.map((f) => (
              <FindingRow key={f.index} finding={f} rules={lint.rules} />
            ))}
          </ul>
        </>
      ) : (
        <p className="cv-muted" data-testid="publish-lint-clean">
          The linter finds nothing new {since}.
        </p>
      )}
    </div>
  );
}
