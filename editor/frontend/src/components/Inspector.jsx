import { useEffect, useMemo, useRef } from 'react';
import { FieldProblem, PropertyField } from './fields.jsx';
import NameField from './NameField.jsx';
import Conditions from './Conditions.jsx';
import NextWidget from './NextWidget.jsx';
import Icon from './Icon.jsx';
import { isRequired, isShown, transitionLabel, widgetDef, withOffers } from '../catalogue.js';
import { suggestions as liquidSuggestions } from '../liquid.js';
import { findingsAt, findingsBesideProblems } from '../lint.js';
import { focusFinding } from './focusField.js';
import { DraftLost } from '../drafts.js';
import { FieldFinding } from './fields.jsx';
import { connectOps, withAllOutputs } from '../outputs.js';

/** "bob is typing…" for the others typing in `field` of this widget. */
export function TypingNote({ marks, field, testid }) {
  const typing = (marks || []).filter((m) => m.typing && m.typing.field === field);
  if (!typing.length) return null;
  const names = [...new Set(typing.map((m) => m.user.name))];
  return (
    <p className="cv-typing" style={{ color: typing[0].user.colour }} data-testid={`typing-${testid}`}>
      {names.join(', ')} {names.length > 1 ? 'are' : 'is'} typing…
    </p>
  );
}

/** The inspector's head: the widget type's icon, two lines and the close button. */
export function InspectorHead({ def, type, title, subtitle, onClose }) {
  return (
    <header className="cv-inspector-head">
      <Icon group={def.group} type={type} />
      <div>
        <h2 className="cv-inspector-type">{title}</h2>
        <div className="cv-muted cv-small">{subtitle}</div>
      </div>
      <button type="button" className="cv-icon-button" onClick={onClose} title="Close">×</button>
    </header>
  );
}

export default function Inspector({ state, doc, catalogue, problems, findings, focus, readOnly, edit, marks, presence, onRename, onClose, onDraftLost, teamFlows }) {
  const def = widgetDef(catalogue, state.type);
  const suggestions = useMemo(() => liquidSuggestions(doc.states, catalogue, state.name), [doc.states, catalogue, state.name]);
  const properties = state.properties || {};
  const known = new Set([...def.properties.map((p) => p.name), 'offset']);
  const extra = Object.keys(properties).filter((k) => !known.has(k));
  const mine = problems.filter((p) => p.widget === state.name);
  const linted = (findings || []).filter((f) => f.widget === state.name);
  const propertyNames = new Set(def.properties.map((p) => p.name));
  // Findings about the widget as a whole, a transition or a property the inspector lacks.
  // (A split's conditions and events show theirs in the condition editor.)
  const split = state.type === 'split-based-on';
  const inConditions = (f) => split && (f.where.transition !== undefined || Boolean(f.where.event));
  const atTransition = (f) => !split && f.handle >= 0;
  const general = linted.filter(
    (f) => !inConditions(f) && !atTransition(f) && (!f.where.property || !propertyNames.has(f.where.property)),
  );
  // Every event of the type is listed, also one the widget's JSON lacks (src/outputs.js).
  const drawn = withAllOutputs(state, def);
  const connect = (index, next) => {
    const ops = connectOps(state, def, index, next);
    if (ops.length) edit(ops);
  };
  const body = useRef(null);
  // Going to a finding (the Problems panel) focuses its field once the inspector shows it.
  useEffect(() => {
    if (!focus || focus.widget !== state.name || !body.current) return undefined;
    const frame = requestAnimationFrame(() => focusFinding(body.current, focus.where));
    return () => cancelAnimationFrame(frame);
  }, [focus, state.name]);

  // Only the field that changed is sent: others may be editing the widget's other fields.
  function saveProperty(name, value) {
    const change =
      value === undefined
        ? { op: 'set_properties', name: state.name, set: {}, unset: [name] }
        : { op: 'set_properties', name: state.name, set: { [name]: value }, unset: [] };
    // A split's conditions carry the input as their argument; keep them in step.
    if (state.type === 'split-based-on' && name === 'input' && state.transitions.some((t) => t.conditions)) {
      const transitions = state.transitions.map((t) =>
        t.conditions ? { ...t, conditions: t.conditions.map((c) => ({ ...c, arguments: [value ?? ''] })) } : t,
      );
      return edit([change, { op: 'update_widget', name: state.name, transitions }]);
    }
    edit([change]);
  }

  // Typing in a field tells the others; leaving it (blur), or the inspector leaving this
  // widget (another selected, the inspector closed, the page left), tells them it stopped
  // at once rather than after presence.js's idle pause.
  const typing = (field) => () => presence && !readOnly && presence.setTyping(state.name, field);
  const stopTyping = () => presence && presence.setTyping(null);
  useEffect(() => () => presence && presence.setTyping(null), [presence, state.name]);

  return (
    <aside className="cv-inspector" data-testid="inspector" aria-label="Inspector">
      <InspectorHead def={def} type={state.type} title={def.label} subtitle={def.description} onClose={onClose} />
      <fieldset disabled={readOnly} className="cv-inspector-body" ref={body} onBlur={stopTyping}>
        <div className="cv-field">
          <label htmlFor="widget-name">Widget name</label>
          {state.type === 'trigger' || readOnly ? (
            <input id="widget-name" value={state.name} readOnly data-testid="widget-name" />
          ) : (
            <NameField name={state.name} states={doc.states} onRename={onRename} onInput={typing('name')} />
          )}
          <TypingNote marks={marks} field="name" testid="name" />
        </div>
        {mine
          .filter((p) => !def.properties.some((d) => d.name === p.field))
          .map((p, i) => (
            <FieldProblem problem={p} key={i} />
          ))}
        {general.length ? (
          <div className="cv-inspector-lint" data-testid="inspector-lint">
            {general.map((f) => (
              <FieldFinding finding={f} key={f.index} />
            ))}
          </div>
        ) : null}
        {def.properties.filter((prop) => isShown(prop, properties, def)).map((prop) => (
          <DraftLost.Provider key={prop.name} value={onDraftLost && ((typed) => onDraftLost(state.name, prop.name, typed))}>
            <PropertyField
              prop={withOffers(!prop.required && isRequired(prop, properties, def) ? { ...prop, required: true } : prop, teamFlows)}
              value={properties[prop.name]}
              onSave={saveProperty}
              suggestions={suggestions}
              problems={mine.filter((p) => p.field === prop.name)}
              findings={findingsBesideProblems(
                findingsAt(linted, state.name, prop.name),
                mine.filter((p) => p.field === prop.name),
              )}
              disabled={readOnly}
              onTyping={typing(prop.name)}
              typingNote={<TypingNote marks={marks} field={prop.name} testid={prop.name} />}
            />
          </DraftLost.Provider>
        ))}
        {state.type === 'split-based-on' ? (
          <Conditions
            state={state}
            catalogue={catalogue}
            disabled={readOnly}
            onTransitions={(transitions) => edit([{ op: 'update_widget', name: state.name, transitions }])}
            states={doc.states}
            onConnect={connect}
            onTyping={typing('transitions')}
            findings={linted.filter(inConditions)}
          />
        ) : (
          <div className="cv-transitions">
            <h3 className="cv-subhead">Transitions</h3>
            <ul>
              {drawn.transitions.map((t, i) => (
                <li key={i} data-transition-index={i} data-event={t.event}>
                  <span className="cv-event">{transitionLabel(t, def, catalogue.conditionLabels)}</span> →{' '}
                  <NextWidget state={drawn} index={i} states={doc.states} label={transitionLabel(t, def, catalogue.conditionLabels)} disabled={readOnly} onConnect={connect} />
                  {linted
                    .filter((f) => atTransition(f) && f.handle === i)
                    .map((f) => (
                      <FieldFinding finding={f} key={f.index} />
                    ))}
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
