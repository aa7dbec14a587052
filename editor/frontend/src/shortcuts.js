// The canvas's keyboard shortcuts (Delete/Backspace are React Flow's own). Keys typed into a
// text field are left alone, so copy, paste and undo work as usual inside it.
import { useEffect, useRef } from 'react';

// Inputs nobody types in: undo, redo and the rest still act on the canvas from them, so a
// transition chosen in a list or a box ticked is undone with Ctrl+Z as the focus stays there.
const NOT_TYPED_IN = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys pressed in `el` belong to it (text being typed), not to the canvas. */
export function typedIn(el) {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA') return true;
  return el.tagName === 'INPUT' && !NOT_TYPED_IN.has(String(el.type || 'text').toLowerCase());
}

const typingInField = (event) => typedIn(event.target);
const CLIPBOARD_EVENTS = ['copy', 'cut', 'paste'];

function actionFor(event) {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (mod && key === 'y') return 'redo';
  if (mod && key === 'd') return 'duplicate';
  if (mod && key === 'a') return 'selectAll';
  if (mod && key === 'f') return 'find';
  if (!mod && event.key === '?') return 'help';
  return null;
}

/** Whether the page has text selected (by a drag over the inspector, say): Ctrl/⌘+C copies it. */
const textSelected = () => {
  const selection = window.getSelection && window.getSelection();
  return Boolean(selection && !selection.isCollapsed && String(selection).trim());
};

/**
 * `handlers` maps an action (undo, redo, duplicate, selectAll, find, help, escape) to a
 * function; escape is told whether the key was pressed in a field. Copy, cut and paste come
 * from the browser's clipboard events, not from the keys (no permission needed, and the
 * browser's Edit menu works too): `copy`, `cut` and `paste` are given the event's
 * clipboardData and return whether they took the event.
 */
export function useShortcuts(handlers) {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    function onKeyDown(event) {
      // Escape in a field cancels its edit there and goes no further than an overlay.
      if (event.key === 'Escape') return current.current.escape(typingInField(event));
      if (typingInField(event)) return;
      const action = actionFor(event);
      if (!action) return;
      event.preventDefault();
      current.current[action]();
    }
    function onClipboard(event) {
      if (typingInField(event) || !event.clipboardData) return;
      if (event.type !== 'paste' && textSelected()) return;
      if (current.current[event.type](event.clipboardData)) event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    for (const type of CLIPBOARD_EVENTS) document.addEventListener(type, onClipboard);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      for (const type of CLIPBOARD_EVENTS) document.removeEventListener(type, onClipboard);
    };
  }, []);
}
