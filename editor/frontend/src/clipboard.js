// Copy/paste as a Studio JSON fragment: {"states": [...]} of the selected widgets. Pasting
// de-duplicates names, keeps transitions between pasted widgets (re-pointed to the renamed
// copies), drops the others, and points `widgets.<old>` in the copies' Liquid at the copies.

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

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Rewrites `widgets.OLD` and `widgets['OLD']` in every string of a JSON value, for all
 * renames at once (one pass, so a copy named like another pasted original is not renamed
 * twice). The same rules as the server's rename (editor/flowspec/edits.py).
 */
export function referenceRewriter(renames) {
  const olds = Object.keys(renames).filter((old) => renames[old] !== old);
  if (!olds.length) return (value) => value;
  const names = olds.map(escape).join('|');
  const dotted = new RegExp(`(?<![\\w-])widgets(\\s*\\.\\s*)(${names})(?![\\w-])`, 'g');
  const bracketed = new RegExp(`(?<![\\w-])widgets(\\s*\\[\\s*)(['"])(${names})\\2`, 'g');
  const rewrite = (value) => {
    if (typeof value === 'string') {
      if (!value.includes('widgets')) return value;
      return value
        .replace(dotted, (m, dot, old) => `widgets${dot}${renames[old]}`)
        .replace(bracketed, (m, open, quote, old) => `widgets${open}${quote}${renames[old]}${quote}`);
    }
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]));
    }
    return value;
  };
  return rewrite;
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
  const rewrite = referenceRewriter(renamed);
  const xs = fragment.map((s) => offsetOf(s).x);
  const ys = fragment.map((s) => offsetOf(s).y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return fragment.map((state) => {
    const copy = rewrite(JSON.parse(JSON.stringify(state)));
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
