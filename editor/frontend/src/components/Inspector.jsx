import { useMemo } from 'react';
import { CommitInput, FieldProblem, PropertyField } from './fields.jsx';
import Conditions from './Conditions.jsx';
import Icon from './Icon.jsx';
import { transitionLabel, widgetDef } from '../catalogue.js';
import { suggestions as liquidSuggestions } from '../liquid.js';

export default function Inspector({ state, doc, catalogue, problems, readOnly, edit, onRename, onClose }) {
  const def = widgetDef(catalogue, state.type);
  const suggestions = useMemo(() => liquidSuggestions(doc.states, catalogue, state.name), [doc.states, catalogue, state.name]);
  const properties = state.properties || {};
  const known = new Set([...def.properties.map((p) => p.name), 'offset']);
  const extra = Object.keys(properties).filter((k) => !known.has(k));
  const mine = problems.filter((p) => p.widget === state.name);

  function saveProperty(name, value) {
    const next = { ...properties };
    if (value === undefined) delete next[name];
    else next[name] = value;
    // A split's conditions carry the input as their argument; keep them in step.
    if (state.type === 'split-based-on' && name === 'input') {
      const transitions = state.transitions.map((t) =>
        t.conditions ? { ...t, conditions: t.conditions.map((c) => ({ ...c, arguments: [value ?? ''] })) } : t,
      );
      return edit([{ op: 'update_widget', name: state.name, properties: next, transitions }]);
    }
    edit([{ op: 'update_widget', name: state.name, properties: next }]);
  }

  function rename(newName) {
    newName = newName.trim();
    if (!newName || newName === state.name) return;
    onRename(state.name, newName);
  }

  return (
    <aside className="cv-inspector" data-testid="inspector" aria-label="Inspector">
      <header className="cv-inspector-head">
        <Icon group={def.group} type={state.type} />
        <div>
          <div className="cv-inspector-type">{def.label}</div>
          <div className="cv-muted cv-small">{def.description}</div>
        </div>
        <button type="button" className="cv-icon-button" onClick={onClose} title="Close">×</button>
      </header>
      <fieldset disabled={readOnly} className="cv-inspector-body">
        <div className="cv-field">
          <label htmlFor="widget-name">Widget name</label>
          {state.type === 'trigger' || readOnly ? (
            <input id="widget-name" value={state.name} readOnly data-testid="widget-name" />
          ) : (
            <CommitInput id="widget-name" value={state.name} onSave={rename} data-testid="widget-name" />
          )}
        </div>
        {mine
          .filter((p) => !def.properties.some((d) => d.name === p.field))
          .map((p, i) => (
            <FieldProblem problem={p} key={i} />
          ))}
        {def.properties.map((prop) => (
          <PropertyField
            key={`${state.name}:${prop.name}`}
            prop={prop}
            value={properties[prop.name]}
            onSave={saveProperty}
            suggestions={suggestions}
            problems={mine.filter((p) => p.field === prop.name)}
            disabled={readOnly}
          />
        ))}
        {state.type === 'split-based-on' ? (
          <Conditions
            state={state}
            catalogue={catalogue}
            disabled={readOnly}
            onTransitions={(transitions) => edit([{ op: 'update_widget', name: state.name, transitions }])}
          />
        ) : (
          <div className="cv-transitions">
            <h4>Transitions</h4>
            <ul>
              {state.transitions.map((t, i) => (
                <li key={i}>
                  <span className="cv-event">{transitionLabel(t, def, catalogue.conditionLabels)}</span> →{' '}
                  {t.next || <span className="cv-muted">not connected</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
        {extra.length ? (
          <p className="cv-muted cv-small">
            Kept as imported: {extra.join(', ')}
          </p>
        ) : null}
      </fieldset>
    </aside>
  );
}
