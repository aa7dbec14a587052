// The linter's findings on the canvas (docs/linter.md): where each one is (the widget, the
// inspector field, the output handle), counts by severity for the badges, groups for the
// Problems panel, and the sequence numbers that drop answers overtaken by a later request.
import { transitionLabel, widgetDef } from './catalogue.js';
import { withAllOutputs } from './outputs.js';

export const SEVERITIES = ['error', 'warning', 'info'];
const RANK = { error: 0, warning: 1, info: 2 };
const rankOf = (severity) => RANK[severity] ?? 3;

/**
 * A finding's `field` path read for the inspector:
 * `properties.body` → {property: 'body'}; `properties.variables.2.value` → {property:
 * 'variables', item: 2}; `transitions.noMatch` → {event: 'noMatch'}; `transitions.1.…` →
 * {transition: 1}; null → {} (the widget as a whole).
 */
export function parseField(field) {
  if (typeof field !== 'string' || !field) return {};
  const parts = field.split('.');
  if (parts[0] === 'properties' && parts[1]) {
    const where = { property: parts[1] };
    if (/^\d+$/.test(parts[2] || '')) where.item = Number(parts[2]);
    return where;
  }
  if (parts[0] === 'transitions' && parts[1]) {
    if (/^\d+$/.test(parts[1])) return { transition: Number(parts[1]) };
    return { event: parts[1] };
  }
  return {};
}

/** The index of the transition (and so of the output handle) a place is about; -1 if none. */
export function handleIndex(state, where) {
  const transitions = (state && state.transitions) || [];
  if (where.transition !== undefined) return where.transition < transitions.length ? where.transition : -1;
  if (where.event) return transitions.findIndex((t) => t.event === where.event);
  return -1;
}

function placeOf(state, def, where, catalogue) {
  if (where.property) {
    const prop = def.properties.find((p) => p.name === where.property);
    const label = prop ? prop.label : where.property;
    return where.item === undefined ? label : `${label}, item ${where.item + 1}`;
  }
  const index = handleIndex(state, where);
  if (index >= 0) return `Transition “${transitionLabel(state.transitions[index], def, catalogue.conditionLabels)}”`;
  if (where.event) return `Transition “${where.event}”`;
  return '';
}

/** Findings with where they are: {…finding, where, handle, place, known (the widget exists)}. */
export function locateFindings(findings, states, catalogue) {
  const byName = new Map((states || []).map((s) => [s.name, s]));
  return (findings || []).map((finding, index) => {
    const where = parseField(finding.field);
    const state = finding.widget ? byName.get(finding.widget) : null;
    if (!state) return { ...finding, index, where, handle: -1, place: '', known: false };
    const def = widgetDef(catalogue, state.type);
    // An event the widget's JSON lacks has an output on the canvas all the same (outputs.js).
    const drawn = withAllOutputs(state, def);
    return { ...finding, index, where, handle: handleIndex(drawn, where), place: placeOf(drawn, def, where, catalogue), known: true };
  });
}

const zero = () => ({ error: 0, warning: 0, info: 0 });

/** {total: {error, warning, info}, byName: {widget: {error, warning, info}}}. */
export function countFindings(findings) {
  const total = zero();
  const byName = {};
  for (const f of findings || []) {
    if (!(f.severity in total)) continue;
    total[f.severity] += 1;
    if (!f.widget) continue;
    (byName[f.widget] = byName[f.widget] || zero())[f.severity] += 1;
  }
  return { total, byName };
}

/** The worst severity with a count, or null. */
export function worstOf(counts) {
  if (!counts) return null;
  return SEVERITIES.find((s) => counts[s] > 0) || null;
}

/**
 * The Problems panel's list: only the severities `shown` (a Set, or all), grouped by
 * severity (errors first) or by widget (flow-wide first, then widgets by name), each group
 * in document order.
 */
export function groupFindings(findings, { by = 'severity', shown = null } = {}) {
  const kept = (findings || []).filter((f) => !shown || shown.has(f.severity));
  const groups = new Map();
  const keyOf = by === 'widget' ? (f) => f.widget || '' : (f) => f.severity;
  for (const f of kept) {
    const key = keyOf(f);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(f);
  }
  const order =
    by === 'widget'
      ? (a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))
      : (a, b) => rankOf(a) - rankOf(b);
  return [...groups.keys()].sort(order).map((key) => ({
    key,
    items: by === 'widget' ? groups.get(key).slice().sort((a, b) => rankOf(a.severity) - rankOf(b.severity)) : groups.get(key),
  }));
}

/** The findings about one inspector field (and one item of a key/value list, when given). */
export function findingsAt(findings, widget, property, item) {
  return (findings || []).filter(
    (f) => f.widget === widget && f.where && f.where.property === property && (item === undefined || f.where.item === item),
  );
}

// The linter's rules that restate validation's "Liquid: …" warnings about the same text.
const VALIDATION_LIQUID_RULES = new Set(['liquid-syntax', 'liquid-limit', 'liquid-loop-limit']);

// The linter's rules that say a field is empty or names nothing: a validation error under the
// field (a Run Subflow's "flow_sid must be a flow SID … not ''") already says so.
const VALIDATION_ERROR_RULES = new Set(['empty-required', 'unknown-subflow']);

/**
 * A field's linter findings, less those that say again what a validation problem under the
 * same field already says (a template that does not parse, a loop or range over the limits;
 * a field left empty or naming no flow, under a validation error).
 */
export function findingsBesideProblems(findings, problems) {
  const liquid = (problems || []).some((p) => p.severity === 'warning' && String(p.message || '').startsWith('Liquid'));
  const error = (problems || []).some((p) => p.severity !== 'warning');
  if (!liquid && !error) return findings;
  return findings.filter((f) => !(liquid && VALIDATION_LIQUID_RULES.has(f.rule)) && !(error && VALIDATION_ERROR_RULES.has(f.rule)));
}

/** The findings the published revision does not have (all of them when nothing is published). */
export function newSincePublished(response) {
  if (!response || !Array.isArray(response.findings)) return [];
  const indexes = response.new_since_published;
  if (!Array.isArray(indexes)) return response.findings;
  return indexes.map((i) => response.findings[i]).filter(Boolean);
}

/**
 * Requests numbered in the order they are made: an answer is used only if no later request
 * was made since (a slow answer about an older document never replaces a newer one).
 */
export class Sequencer {
  constructor() {
    this.issued = 0;
  }

  next() {
    this.issued += 1;
    return this.issued;
  }

  isCurrent(n) {
    return n === this.issued;
  }
}

/**
 * How to lint the document shown: GET (the stored draft) when nothing is waiting to be saved
 * and the document is the server's, else POST of the document itself.
 */
export function lintRequest(state) {
  if (!state.pending.length && state.view === state.confirmed) return { method: 'GET' };
  return { method: 'POST', body: { definition: state.view } };
}

/**
 * Lints one request at a time: `request()` while one is on its way asks for one more run
 * when it is back (with the document as it is then), so changes made in a burst cost at most
 * two requests. `lint()` makes the request and resolves to what `onResult` is given; an
 * answer is passed on only if no later request was made since (the Sequencer).
 */
export class LintRunner {
  constructor({ lint, onResult, onError }) {
    Object.assign(this, { lint, onResult, onError });
    this.sequencer = new Sequencer();
    this.busy = false;
    this.again = false;
  }

  async request() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.again = false;
    const n = this.sequencer.next();
    try {
      const result = await this.lint();
      if (this.sequencer.isCurrent(n)) this.onResult(result);
    } catch (error) {
      if (this.sequencer.isCurrent(n)) this.onError(error);
    } finally {
      this.busy = false;
      if (this.again) await this.request();
    }
  }

  /** Answers on their way are dropped (the page changed what it lints). */
  cancel() {
    this.sequencer.next();
    this.again = false;
  }
}
