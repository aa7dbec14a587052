// Everything the canvas knows about widget types comes from the catalogue JSON served at
// /api/editor/catalogue; these helpers only read it.

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
      name_prefix: 'widget_',
    }
  );
}

/** Studio's naming: the prefix and the smallest free number, e.g. send_message_3. */
export function freeName(prefix, taken) {
  for (let n = 1; ; n += 1) {
    const name = `${prefix}${n}`;
    if (!taken.has(name)) return name;
  }
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

export function conditionText(condition, labels) {
  if (!condition) return '';
  if (condition.friendly_name) return condition.friendly_name;
  return `value ${condition.type} ${condition.value ?? ''}`.trim();
}

/** The label under a transition's handle. */
export function transitionLabel(transition) {
  if (transition.event === 'match') {
    const condition = (transition.conditions || [])[0];
    return condition ? conditionText(condition) : 'match';
  }
  return transition.event;
}

export const friendlyName = (type, value) => `If value ${type} ${value ?? ''}`.trim();
