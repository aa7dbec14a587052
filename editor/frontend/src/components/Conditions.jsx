// The split's condition editor: add, remove and reorder `match` transitions; each has one
// condition {friendly_name, arguments: [input], type, value}.
import { CommitInput, FieldFinding } from './fields.jsx';
import NextWidget from './NextWidget.jsx';
import { NO_VALUE, conditionText, customName, friendlyName } from '../catalogue.js';

/** The linter's findings about a condition (by transition index) or an event of the split. */
const findingsOf = (findings, test) => (findings || []).filter((f) => test(f.where)).map((f) => <FieldFinding finding={f} key={f.index} />);

export default function Conditions({ state, catalogue, disabled, onTransitions, onTyping, findings, states, onConnect }) {
  const input = (state.properties && state.properties.input) || '';
  const transitions = state.transitions || [];
  const matches = transitions.map((t, index) => ({ t, index })).filter(({ t }) => t.event === 'match');
  const noMatch = transitions.findIndex((t) => t.event === 'noMatch');
  const next = (index, label) => <NextWidget state={state} index={index} states={states} label={label} disabled={disabled} onConnect={onConnect} />;

  function setCondition(index, patch) {
    const t = transitions[index];
    const old = (t.conditions && t.conditions[0]) || {};
    const next = { ...old, ...patch, arguments: [input] };
    // Studio stores the predicate's label as the (ignored) value of Is Blank / Is Not Blank.
    if (patch.type && NO_VALUE.has(patch.type)) next.value = catalogue.conditionLabels[patch.type];
    // The friendly name follows type and value unless the user wrote their own.
    if (!('friendly_name' in patch) && !customName(old)) {
      next.friendly_name = friendlyName(next.type, next.value);
    }
    const conditions = [next, ...(t.conditions || []).slice(1)];
    onTransitions(transitions.map((x, i) => (i === index ? { ...x, conditions } : x)));
  }

  function add() {
    const condition = { friendly_name: friendlyName('equal_to', ''), arguments: [input], type: 'equal_to', value: '' };
    onTransitions([...transitions, { event: 'match', conditions: [condition] }]);
  }

  function move(index, step) {
    const target = index + step;
    if (target < 0 || target >= transitions.length || transitions[target].event !== 'match') return;
    const copy = transitions.slice();
    [copy[index], copy[target]] = [copy[target], copy[index]];
    onTransitions(copy);
  }

  return (
    <div className="cv-conditions" data-testid="conditions" onInput={onTyping}>
      <h3 className="cv-subhead">Transitions</h3>
      <p className="cv-help">The first condition that matches wins; when none does, the flow follows No Match.</p>
      {noMatch >= 0 ? (
        <label className="cv-condition-field" data-transition-index={noMatch}>
          <span>No Match goes to</span>
          {next(noMatch, 'No Match')}
        </label>
      ) : null}
      {matches.map(({ t, index }, n) => {
        const c = (t.conditions && t.conditions[0]) || {};
        return (
          <div className="cv-condition" key={index} data-testid={`condition-${n}`} data-transition-index={index}>
            <div className="cv-condition-head">
              <span className="cv-condition-title">{conditionText(c, catalogue.conditionLabels) || `Condition ${n + 1}`}</span>
              <button type="button" className="cv-icon-button" disabled={disabled} title="Move up" aria-label={`Move condition ${n + 1} up`} onClick={() => move(index, -1)}>↑</button>
              <button type="button" className="cv-icon-button" disabled={disabled} title="Move down" aria-label={`Move condition ${n + 1} down`} onClick={() => move(index, 1)}>↓</button>
              <button
                type="button"
                className="cv-icon-button"
                disabled={disabled}
                title="Remove"
                aria-label={`Remove condition ${n + 1}`}
                data-testid={`condition-remove-${n}`}
                onClick={() => onTransitions(transitions.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </div>
            <select
              value={c.type || 'equal_to'}
              disabled={disabled}
              onChange={(e) => setCondition(index, { type: e.target.value })}
              data-testid={`condition-type-${n}`}
              aria-label="Predicate"
            >
              {catalogue.condition_types.map((ct) => (
                <option key={ct.type} value={ct.type}>
                  {ct.label}
                </option>
              ))}
            </select>
            {NO_VALUE.has(c.type) ? null : (
              <label className="cv-condition-field">
                <span>Value</span>
                <CommitInput
                  value={c.value ?? ''}
                  disabled={disabled}
                  aria-label="Value"
                  data-testid={`condition-value-${n}`}
                  onSave={(value) => setCondition(index, { value })}
                />
              </label>
            )}
            {/* Empty while the name is Studio's generated one (the placeholder); clearing it brings that back. */}
            <label className="cv-condition-field">
              <span>Label on the canvas (optional)</span>
              <CommitInput
                value={customName(c)}
                disabled={disabled}
                placeholder={conditionText(c, catalogue.conditionLabels) || 'Label on the canvas'}
                aria-label="Label on the canvas"
                data-testid={`condition-name-${n}`}
                onSave={(name) => setCondition(index, { friendly_name: name.trim() || friendlyName(c.type, c.value) })}
              />
            </label>
            <label className="cv-condition-field">
              <span>Then go to</span>
              {next(index, conditionText(c, catalogue.conditionLabels) || `Condition ${n + 1}`)}
            </label>
            {findingsOf(findings, (w) => w.transition === index)}
          </div>
        );
      })}
      {[...new Set((findings || []).filter((f) => f.where.event).map((f) => f.where.event))].map((event) => (
        <div key={event} data-event={event} data-testid={`event-findings-${event}`}>
          {findingsOf(findings, (w) => w.event === event)}
        </div>
      ))}
      <button type="button" className="cv-button cv-button-small" disabled={disabled} onClick={add} data-testid="condition-add">
        + New condition
      </button>
    </div>
  );
}
