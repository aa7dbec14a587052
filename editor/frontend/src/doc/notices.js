// What the canvas says when part of an edit did not survive someone else's change: which
// widget and field, the value that won and who set it (docs/protocol.md, "Concurrent edits").

const PARTS = { offset: 'position', name: 'name', transitions: 'transitions', properties: 'properties' };
const FLOW_FIELDS = { description: 'the flow description', allow_concurrent_calls: 'the concurrent-calls setting' };

/** `split_1/properties/input` reads as `split_1 › input`. */
export function fieldLabel(path) {
  if (!path || path === '*') return 'the flow';
  const [head, part, key] = path.split('/');
  if (head === 'flow') return FLOW_FIELDS[part] || `the flow's ${part}`;
  if (!part) return head;
  if (part === 'properties' && key) return `${head} › ${key}`;
  if (part === 'transitions' && key !== undefined) return `${head} › transition ${Number(key) + 1}`;
  return `${head} › ${PARTS[part] || part}`;
}

export function shortValue(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const possessive = (who) => (who ? `${who}'s` : "Someone else's");

/**
 * One line per dropped operation. `undoing`: the edit was an undo or a redo, so the line
 * says what could not be undone. Operations dropped on the same field say it once.
 */
export function droppedLines(dropped, { undoing = false } = {}) {
  const seen = new Set();
  const lines = [];
  for (const d of dropped) {
    if (seen.has(d.field)) continue;
    seen.add(d.field);
    const field = fieldLabel(d.field);
    const who = d.by || 'someone';
    const gone = d.value === undefined || d.value === null;
    if (undoing) lines.push(gone ? `Can't undo the change to ${field}: ${d.reason}` : `Can't undo the change to ${field}: ${who} changed it since`);
    else if (gone) lines.push(`Your change to ${field} was not applied: ${d.reason}`);
    else lines.push(`${possessive(d.by)} change to ${field} won: ${shortValue(d.value)}`);
  }
  return lines;
}

/**
 * Someone else deleted widgets this page had selected (the inspector closes with them):
 * said, with what became of a field being typed in (fields are saved when left; `typing`
 * lapses after a pause, so without it the line still says what may have been lost).
 */
export function deletedLine(names, author, typing) {
  const who = (author && author.name) || 'Someone';
  const list = names.join(', ');
  if (typing && names.includes(typing.widget)) {
    return `${who} deleted ${list} while you were editing it: what you typed in ${fieldLabel(`${typing.widget}/properties/${typing.field}`)} was not saved.`;
  }
  return `${who} deleted ${list}, which you had open: a field you had not yet left there was not saved.`;
}

/** Widgets added here under names someone else's new widgets took meanwhile: renamed. */
export function renamedLine(pairs, author) {
  const who = (author && author.name) || 'Someone';
  const moves = pairs.map(([, name]) => `yours is now ${name}`);
  const names = pairs.map(([old]) => old).join(', ');
  return `${who} added a widget named ${names} meanwhile: ${moves.join(', ')}.`;
}

/** Someone else's change to a field (`value` undefined: the whole flow replaced) reached the
 * page while unsaved text was typed in it. */
export function lostDraftLine(path, who, value, typed) {
  const lost = `What you were typing in ${fieldLabel(path)} was not saved: ${shortValue(typed)}`;
  if (value === undefined) return `${who || 'Someone'} replaced the whole flow meanwhile. ${lost}`;
  const won = value === null ? `${possessive(who)} change to ${fieldLabel(path)} cleared it` : `${possessive(who)} change to ${fieldLabel(path)} won: ${shortValue(value)}`;
  return `${won}. ${lost}`;
}

const REPLACED = { restore: 'restored a revision', api: 'updated the flow through the REST API', import: 'imported a flow over this one', shell: 'replaced the flow from the shell' };

/** Someone else replaced the whole document (docs/protocol.md: `ops` null): the canvas
 * fetches it again, its own unsent edits kept, and says why what it shows changed. */
export function replacedLine(author, source) {
  const who = (author && author.name) || 'Someone';
  return `${who} ${REPLACED[source] || 'replaced the whole flow'}; the canvas now shows the flow as it is.`;
}
