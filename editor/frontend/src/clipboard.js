// Copy/paste as a Studio JSON fragment: {"states": [...]} of the selected widgets. Pasting
// de-duplicates names, keeps transitions between pasted widgets (re-pointed to the renamed
// copies) and drops the others.

import { freeName, widgetDef } from './catalogue.js';
import { offsetOf } from './graph.js';

export function fragmentOf(states, names) {
  const chosen = new Set(names);
  return { states: states.filter((s) => chosen.has(s.name) && s.type !== 'trigger') };
}

export function parseFragment(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return null;
  }
  const states = data && Array.isArray(data.states) ? data.states : null;
  if (!states) return null;
  return states.filter((s) => s && typeof s.name === 'string' && typeof s.type === 'string' && s.type !== 'trigger');
}

/** add_widget ops placing the fragment with its top-left corner at `at`. */
export function pasteOps(fragment, doc, catalogue, at) {
  const taken = new Set(doc.states.map((s) => s.name));
  const renamed = {};
  for (const state of fragment) {
    let name = state.name;
    if (taken.has(name)) name = freeName(widgetDef(catalogue, state.type).name_prefix, taken);
    taken.add(name);
    renamed[state.name] = name;
  }
  const xs = fragment.map((s) => offsetOf(s).x);
  const ys = fragment.map((s) => offsetOf(s).y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return fragment.map((state) => {
    const copy = JSON.parse(JSON.stringify(state));
    copy.name = renamed[state.name];
    copy.transitions = (copy.transitions || []).map((t) => {
      const next = { ...t };
      if (t.next && renamed[t.next]) next.next = renamed[t.next];
      else delete next.next;
      return next;
    });
    const offset = offsetOf(state);
    copy.properties = {
      ...(copy.properties || {}),
      offset: { x: Math.round(at.x + offset.x - left), y: Math.round(at.y + offset.y - top) },
    };
    return { op: 'add_widget', state: copy };
  });
}
