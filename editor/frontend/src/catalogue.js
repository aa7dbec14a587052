// Everything the canvas knows about widget types comes from the catalogue JSON served at
// /api/editor/catalogue; these helpers only read it.
import { NAME_PATTERN, RESERVED_NAMES } from './ops.js';

const MAX_NAME = 100;

export function indexCatalogue(catalogue) {
  const byType = {};
  for (const widget of catalogue.widgets) byType[widget.type] = widget;
  const conditionLabels = {};
  for (const c of catalogue.condition_types) conditionLabels[c.type] = c.label;
  return { ...catalogue, byType, conditionLabels };
}

export function widgetDef(catalogue, type) {
  return (
    catalogue.byType[type] || {
      type,
      label: type,
      group: 'other',
      events: [],
      repeatable_events: [],
      properties: [],
      default_properties: {},
      event_labels: {},
      name_prefix: 'widget_',
    }
  );
}

/**
 * The Console's label of a property's value: from the catalogue's `choices` (an
 * enumeration) or `suggested` (a free-text field's offers); otherwise the value itself.
 */
export function choiceLabel(prop, value) {
  const text = value === undefined || value === null ? '' : String(value);
  const found = [...(prop.choices || []), ...(prop.suggested || [])].find((c) => String(c.value) === text);
  return found ? found.label : text;
}

/**
 * A select's options: each enumerated value with its label, then a stored value outside
 * the enumeration (an older Studio's, or one typed into the JSON) as it is, so it is shown
 * and kept rather than silently replaced.
 */
export function choiceOptions(prop, current) {
  const options = (prop.choices || (prop.enum || []).map((value) => ({ value, label: String(value) }))).map((c) => ({
    value: String(c.value),
    label: c.label,
  }));
  if (current && !options.some((o) => o.value === current)) options.push({ value: current, label: current });
  return options;
}

/** Studio's naming: the prefix and the smallest free number, e.g. send_message_3. */
export function freeName(prefix, taken) {
  for (let n = 1; ; n += 1) {
    const name = `${prefix}${n}`;
    if (!taken.has(name)) return name;
  }
}

/**
 * Why `wanted` cannot be the new name of the widget `current` among `states`, in words that
 * name both and say what to do; null when it can (the inspector says it before any edit).
 */
export function nameProblem(wanted, current, states) {
  if (wanted === current) return null;
  if (states.some((s) => s.name === wanted)) {
    return `Another widget is already named ${wanted}. Choose a different name for ${current}.`;
  }
  if (wanted.length > MAX_NAME) return `Widget names are at most ${MAX_NAME} characters; this one has ${wanted.length}.`;
  if (RESERVED_NAMES.has(wanted)) return `${wanted} is reserved by Studio. Choose a different name for ${current}.`;
  if (!NAME_PATTERN.test(wanted)) {
    return `“${wanted}” cannot be a widget name: start with a letter, then use only letters, digits, _ or -.`;
  }
  return null;
}

/** A new widget with the catalogue's defaults; repeatable events (split's match) start absent. */
export function newState(def, name, offset) {
  const repeatable = new Set(def.repeatable_events || []);
  return {
    name,
    type: def.type,
    transitions: def.events.filter((e) => !repeatable.has(e)).map((event) => ({ event })),
    properties: { ...JSON.parse(JSON.stringify(def.default_properties || {})), offset },
  };
}

// Studio writes no value for these predicates (it stores the label as the ignored value).
export const NO_VALUE = new Set(['is_blank', 'is_not_blank']);

/** The friendly name Studio (and the canvas) give a condition nobody named: "If value equal_to yes". */
export const friendlyName = (type, value) => `If value ${type} ${value ?? ''}`.trim();

const squashed = (text) => String(text).replace(/\s+/g, '');

/** The friendly name someone chose for a condition; '' when it is the generated one. */
export function customName(condition) {
  const name = (condition.friendly_name || '').trim();
  return squashed(name) === squashed(friendlyName(condition.type, condition.value)) ? '' : name;
}

/**
 * How a condition reads on the canvas: its friendly name when someone chose one, otherwise
 * the predicate's label and the value ("Equal To yes"), not Studio's generated
 * "If value equal_to yes", which is cut off after "If value equ…" in a transition's slot.
 */
export function conditionText(condition, labels = {}) {
  if (!condition) return '';
  const name = customName(condition);
  if (name) return name;
  const label = labels[condition.type] || condition.type || '';
  if (NO_VALUE.has(condition.type)) return label;
  return `${label} ${condition.value ?? ''}`.trim();
}

/** The label under a transition's handle: a split's condition or the Console's event label. */
export function transitionLabel(transition, def, conditionLabels = {}) {
  if (transition.event === 'match') {
    const condition = (transition.conditions || [])[0];
    return condition ? conditionText(condition, conditionLabels) : 'match';
  }
  return (def && def.event_labels && def.event_labels[transition.event]) || transition.event;
}

/**
 * Whether the inspector shows `prop` of a widget of type `def` with these `properties`: a
 * field the catalogue shows only for some values of another one (`shown_when`, a Connect
 * Call To's SIP fields) is shown for those values, and whenever it holds a value itself.
 */
export function isShown(prop, properties, def) {
  const own = properties[prop.name];
  if (own !== undefined && own !== null && own !== '') return true;
  return holds(prop.shown_when, properties, def);
}

/** Whether `prop` must be filled in: always, or for some values of another (`required_when`). */
export const isRequired = (prop, properties, def) => Boolean(prop.required) || (Boolean(prop.required_when) && holds(prop.required_when, properties, def));

/** `when` ({property, values}) holds for these properties (the property's default if unset); no `when` always holds. */
function holds(when, properties, def) {
  if (!when) return true;
  const control = def.properties.find((p) => p.name === when.property);
  const value = properties[when.property] ?? (control ? control.default : undefined);
  return when.values.includes(value);
}

/**
 * `prop` with the values the server offers for it added to its `suggested` ones: a property
 * with `offers: "flows"` (a Run Subflow's flow SID) offers `teamFlows`, the document's
 * `team_flows`, each SID labelled with the flow's name.
 */
export function withOffers(prop, teamFlows) {
  if (prop.offers !== 'flows') return prop;
  const flows = (teamFlows || []).map((f) => ({ value: f.sid, label: f.friendly_name || f.sid }));
  return { ...prop, suggested: [...(prop.suggested || []), ...flows] };
}
