// What the user does to widgets as a whole: add from the library, copy, paste, duplicate,
// delete and rename. Added and pasted widgets land where they overlap nothing.
import { useCallback } from 'react';
import { freeName, newState, widgetDef } from './catalogue.js';
import { fragmentOf, parseFragment, pasteOps } from './clipboard.js';
import { referrers } from './ops.js';
import { offsetOf } from './graph.js';
import { boxOf, placeOps } from './placement.js';
import { reveal } from './reveal.js';
import { plural } from './text.js';
import { NODE_HEIGHT, nodeWidth } from './components/WidgetNode.jsx';

/** The flow position at a fraction of the visible canvas (0.5, 0.5 is its centre). */
function inView(flow, fx, fy) {
  const box = document.querySelector('.cv-canvas').getBoundingClientRect();
  return flow.screenToFlowPosition({ x: box.left + box.width * fx, y: box.top + box.height * fy });
}

// A widget added from the library while one widget is selected goes under it, where the
// next step of the flow usually is (a chain built one widget after another stays a column);
// placement.js moves it on if that place is taken.
const BELOW = 100;
// A widget added with no place given (double-click or Enter, nothing selected) goes to the
// middle of the view; when that is taken it moves on to where it stays this far from the
// widgets above and below, as far as one added under a selected widget is, so that the
// transition drawn to it has room (not GAP's 20 px, which left it squeezed against the Trigger).
const ROOM_FOR_TRANSITIONS = BELOW - 20;

/** The flow position under the one selected widget (its centre, BELOW under it), or null. */
function below(doc, selected) {
  const anchor = selected.length === 1 ? doc.states.find((s) => s.name === selected[0]) : null;
  if (!anchor) return null;
  const { x, y } = offsetOf(anchor);
  return { x: x + nodeWidth(anchor) / 2, y: y + NODE_HEIGHT + BELOW };
}

export function useWidgetActions({ flow, docRef, catalogue, readOnly, edit, notify, selected, selectOnly, selectMany, setSelected, aliases }) {
  // A renamed widget keeps its inspector (and the focus and typing in it), renamed here or by
  // someone else: the inspector's key is the name the widget had when it was selected
  // (`aliases`, kept by the co-editing: doc/ordered.js noteRenames).

  const addWidget = useCallback(
    (type, position) => {
      const doc = docRef.current;
      if (!doc || readOnly) return;
      const def = widgetDef(catalogue, type);
      const name = freeName(def.name_prefix, new Set(doc.states.map((s) => s.name)));
      const at = position || below(doc, selected) || inView(flow, 0.5, 0.5);
      const state = newState(def, name, { x: 0, y: 0 });
      state.properties.offset = { x: Math.round(at.x - nodeWidth(state) / 2), y: Math.round(at.y - 20) };
      const ops = placeOps([{ op: 'add_widget', state }], doc.states, position ? undefined : ROOM_FOR_TRANSITIONS);
      if (!edit(ops)) return;
      setTimeout(() => {
        selectOnly(name);
        reveal(flow, [boxOf(ops[0].state)]);
      }, 0);
    },
    [catalogue, edit, flow, readOnly, docRef, selectOnly, selected],
  );

  const copyText = () => JSON.stringify(fragmentOf(docRef.current.states, selected), null, 2);

  function paste(text, sameFlow = false) {
    if (readOnly) return;
    const fragment = parseFragment(text);
    if (!fragment || !fragment.length) return notify('The clipboard holds no widgets.');
    // A duplicate is meant to land just off its original, a paste in view; either moves to
    // the nearest place where it covers no widget.
    let at = inView(flow, 1 / 3, 1 / 3);
    if (sameFlow) {
      at = { x: Math.min(...fragment.map((s) => offsetOf(s).x)) + 40, y: Math.min(...fragment.map((s) => offsetOf(s).y)) + 40 };
    }
    const ops = placeOps(pasteOps(fragment, docRef.current, catalogue, at), docRef.current.states);
    if (!edit(ops)) return;
    const names = ops.map((op) => op.state.name);
    setTimeout(() => {
      selectMany(names);
      reveal(flow, ops.map((op) => boxOf(op.state)));
    }, 0);
  }

  // Copy, cut and paste go through the browser's own clipboard events (`shortcuts.js`), which
  // need no permission and work on a plain-http self-hosted site, where the asynchronous
  // Clipboard API is missing and reading it asks for a permission first.
  /** Put the selected widgets in a copy event's clipboard; false when none is selected. */
  function copySelection(clipboard) {
    if (!selected.length) return false;
    clipboard.setData('text/plain', copyText());
    notify(`Copied ${plural(selected.length, 'widget')}.`);
    return true;
  }

  /** Copy, then delete what was copied (one edit, one undo); the Trigger stays. */
  function cutSelection(clipboard) {
    if (!selected.length) return false;
    if (readOnly) return true;
    const names = fragmentOf(docRef.current.states, selected).states.map((s) => s.name);
    if (!names.length) {
      notify('The Trigger cannot be cut.');
      return true;
    }
    clipboard.setData('text/plain', JSON.stringify(fragmentOf(docRef.current.states, names), null, 2));
    deleteSelection(names, []);
    notify(`Cut ${plural(names.length, 'widget')}.`);
    return true;
  }

  /** Paste what a paste event carries. */
  function pasteFromClipboard(clipboard) {
    paste(clipboard.getData('text/plain'));
    return true;
  }

  function deleteSelection(names, edges) {
    if (readOnly) return;
    const doc = docRef.current;
    const doomed = names.filter((n) => {
      const s = doc.states.find((x) => x.name === n);
      return s && s.type !== 'trigger';
    });
    if (names.length && !doomed.length) notify('The Trigger cannot be deleted.');
    const gone = new Set(doomed);
    const ops = edges
      .filter((e) => !gone.has(e.source) && !gone.has(e.target))
      .map((e) => ({ op: 'connect', name: e.source, index: Number(e.sourceHandle), next: null }));
    if (doomed.length) ops.unshift({ op: 'delete_widgets', names: doomed });
    edit(ops);
    setSelected([]);
  }

  /** Rename and keep the widget selected under its new name. A refused rename (a name
   * taken or malformed: the banner says why) keeps it selected under the old one. */
  function rename(name, newName) {
    // The server rewrites `widgets.<old>` in the flow's Liquid (editor/flowspec/edits.py): said.
    const using = referrers(docRef.current.states, name, newName);
    if (edit([{ op: 'rename_widget', name, new_name: newName }])) {
      setSelected([newName]);
      if (using.length) notify(`Renamed ${name} to ${newName}; the Liquid referring to it in ${using.join(', ')} now says widgets.${newName}.`);
    }
  }

  const inspectorKey = (name) => aliases[name] || name;

  /** The canvas's selection changed: aliases of widgets no longer selected are forgotten. */
  const select = useCallback(
    (names) => {
      for (const name of Object.keys(aliases)) if (!names.includes(name)) delete aliases[name];
      setSelected(names);
    },
    [setSelected, aliases],
  );

  return {
    addWidget,
    duplicate: () => selected.length && paste(copyText(), true),
    copySelection,
    cutSelection,
    selectAll: () => selectMany(docRef.current ? docRef.current.states.map((s) => s.name) : []),
    pasteFromClipboard,
    deleteSelection,
    rename,
    inspectorKey,
    select,
  };
}
