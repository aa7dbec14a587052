// The server's problems ({message, property_path, severity, blocking}) located on the
// document: the widget they are about, the field, and a readable name for the place
// ("send_message_2 · Message body") from the catalogue's labels.
import { transitionLabel, widgetDef } from './catalogue.js';
import { agree, plural } from './text.js';

export const isWarning = (problem) => problem.severity === 'warning';

/** `#/states/3/properties/body` → {index: 3, part: 'properties', field: 'body'}; null for the flow. */
export function parseProblemPath(path) {
  const match = /^#\/states\/(\d+)(?:\/(\w+)(?:\/([^/]+))?)?/.exec(path || '');
  if (!match) return null;
  return { index: Number(match[1]), part: match[2] || '', field: match[3] || '' };
}

// A missing required property is reported on `properties`; it belongs under its field.
const MISSING = /^(\S+) is missing but it is required$/;

function fieldOf(where, message, def) {
  if (where.part !== 'properties') return where.part;
  if (where.field) return where.field;
  const missing = MISSING.exec(message);
  return missing && def.properties.some((p) => p.name === missing[1]) ? missing[1] : '';
}

function placeOf(state, def, where, field, catalogue) {
  if (where.part === 'properties') {
    const prop = def.properties.find((p) => p.name === field);
    return prop ? prop.label : field;
  }
  if (where.part === 'transitions') {
    const transition = (state.transitions || [])[Number(where.field)];
    return transition ? `Transition “${transitionLabel(transition, def, catalogue.conditionLabels)}”` : 'Transitions';
  }
  if (where.part === 'name') return 'Widget name';
  if (where.part === 'type') return 'Widget type';
  return '';
}

export function locateProblems(problems, states, catalogue) {
  return (problems || []).map((problem) => {
    const severity = isWarning(problem) ? 'warning' : 'error';
    const where = parseProblemPath(problem.property_path);
    const state = where ? states[where.index] : null;
    if (!state) return { ...problem, severity, widget: null, field: '', place: '' };
    const def = widgetDef(catalogue, state.type);
    const field = fieldOf(where, problem.message, def);
    return { ...problem, severity, widget: state.name, field, place: placeOf(state, def, where, field, catalogue) };
  });
}

/** {errors, warnings} in all of `located`, and for each widget by name. */
export function countProblems(located) {
  const total = { errors: 0, warnings: 0 };
  const byName = {};
  for (const p of located) {
    const key = p.severity === 'warning' ? 'warnings' : 'errors';
    total[key] += 1;
    if (!p.widget) continue;
    const counts = (byName[p.widget] = byName[p.widget] || { errors: 0, warnings: 0 });
    counts[key] += 1;
  }
  return { total, byName };
}

const LINT_TAB = [
  ['error', '✖', (n) => `Linter: ${plural(n, 'error')}; publishing asks first`],
  ['warning', '▲', (n) => `Linter: ${plural(n, 'warning')}; ${agree(n, 'it does', 'they do')} not block publishing`],
  ['info', 'ℹ', (n) => `Linter: ${plural(n, 'note')}`],
];

/**
 * The counts beside the Problems tab, each {key, text, title}: the errors that block
 * publishing (filled red), the validation warnings (filled amber), then the linter's
 * findings by severity with the widget badges' marks (docs/linter.md): only errors are red,
 * so a valid flow with a few warnings shows no red count.
 */
export function tabCounts(problems, lint) {
  const counts = [];
  if (problems.errors) counts.push({ key: 'problem', text: String(problems.errors), title: `${plural(problems.errors, 'error')}: fix before publishing` });
  if (problems.warnings) counts.push({ key: 'warning', text: String(problems.warnings), title: `${plural(problems.warnings, 'warning')}: publishing is still allowed` });
  for (const [severity, mark, title] of LINT_TAB) {
    const n = lint ? lint[severity] : 0;
    if (n) counts.push({ key: `lint-${severity}`, text: `${mark}${n}`, title: title(n) });
  }
  return counts;
}
