// What a revision changed since the one before it: layout, widgets, transitions,
// properties, settings (stored with the revision; docs/revisions.md).
import { TAG_LABELS } from '../../compare/model.js';

export default function RevisionTags({ revision }) {
  const tags = revision.tags || [];
  return (
    <div className="cmp-tags" data-testid={`revision-tags-${revision.revision}`}>
      {tags.length ? (
        tags.map((t) => (
          <span key={t} className={`cv-chip cmp-tag cmp-tag-${t}`} data-testid={`revision-tag-${revision.revision}-${t}`}>
            {TAG_LABELS[t] || t}
          </span>
        ))
      ) : (
        <span className="cv-chip cmp-tag">{revision.status === 'published' ? 'published as it was' : 'no change'}</span>
      )}
    </div>
  );
}
