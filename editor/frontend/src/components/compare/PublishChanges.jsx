// The publish dialog's "changes since the published revision", from the same diff as
// compare mode (GET …/diff?from=published&to=draft).
import { useEffect, useState } from 'react';
import { getJson } from '../../api.js';

const SHOWN = 30;

export default function PublishChanges({ urls, version, onCompare }) {
  const [diff, setDiff] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let current = true;
    getJson(urls.diff('published', 'draft'))
      .then((r) => current && setDiff({ published: r.from.revision, ...r.diff }))
      .catch((e) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [urls, version]);
  if (error) return <p className="cv-muted cv-small">Could not list the changes: {error}</p>;
  if (!diff) return <p className="cv-muted cv-small">Listing the changes…</p>;
  const lines = diff.summary;
  return (
    <div className="cmp-publish" data-testid="publish-changes">
      <h3>{diff.published ? `Changes since the published revision (${diff.published})` : 'Nothing is published yet: everything is new'}</h3>
      {lines.length ? (
        <ul>
          {lines.slice(0, SHOWN).map((line, i) => (
            <li key={i} data-testid="publish-change">
              {line}
            </li>
          ))}
          {lines.length > SHOWN ? <li className="cv-muted">and {lines.length - SHOWN} more</li> : null}
        </ul>
      ) : (
        <p className="cv-muted" data-testid="publish-no-changes">
          No changes since the published revision.
        </p>
      )}
      {lines.length && onCompare && diff.published ? (
        <button type="button" className="cv-link" onClick={onCompare} data-testid="publish-compare">
          Show on the canvas
        </button>
      ) : null}
    </div>
  );
}
