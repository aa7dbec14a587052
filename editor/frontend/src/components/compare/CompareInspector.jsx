// The inspector in compare mode: read only, what changed in the selected widget.
import { InspectorHead } from '../Inspector.jsx';
import ChangeList from './ChangeList.jsx';
import { STATUS_LABELS } from '../../compare/model.js';
import { widgetDef } from '../../catalogue.js';

const where = (o) => (o && typeof o === 'object' ? `(${o.x}, ${o.y})` : '—');

export default function CompareInspector({ state, entry, catalogue, missing, onClose }) {
  const def = widgetDef(catalogue, state.type);
  const status = entry ? entry.status : 'same';
  const head = <InspectorHead def={def} type={state.type} title={state.name} subtitle={def.label} onClose={onClose} />;
  if (missing) {
    return (
      <aside className="cv-inspector" data-testid="inspector" aria-label="Inspector">
        {head}
        <div className="cv-inspector-body" data-testid="compare-inspector" data-status="none">
          <p className="cv-muted cv-small">Nothing is published: there is no other version of this widget to compare with.</p>
        </div>
      </aside>
    );
  }
  return (
    <aside className="cv-inspector" data-testid="inspector" aria-label="Inspector">
      {head}
      <div className="cv-inspector-body" data-testid="compare-inspector" data-status={status}>
        <p>
          <span className={`cmp-status cmp-status-${status}`} data-testid="compare-status">
            {STATUS_LABELS[status] || 'Unchanged'}
          </span>
          {entry && entry.renamed_from ? (
            <span className="cv-small"> from <code>{entry.renamed_from}</code></span>
          ) : null}
        </p>
        {entry && entry.moved ? (
          <p className="cv-small" data-testid="compare-moved">
            Moved from {where(entry.old_offset)} to {where(entry.offset)}
          </p>
        ) : null}
        {entry && entry.changes && entry.changes.length ? (
          <ChangeList changes={entry.changes} prefix="compare" />
        ) : (
          <p className="cv-muted cv-small">
            {status === 'added' ? 'New in this version.' : status === 'removed' ? 'Not in this version any more.' : 'No property changed.'}
          </p>
        )}
        {entry && entry.truncated ? <p className="cv-muted cv-small">More changes are not shown.</p> : null}
      </div>
    </aside>
  );
}
