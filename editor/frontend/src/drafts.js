// A field's draft: the text being typed, saved on blur or Enter, and (text fields) after a
// pause in typing.
import { createContext, useContext, useEffect, useRef, useState } from 'react';

/**
 * Told (with the text) when a value from outside replaces a draft with unsaved typing in it:
 * someone else's change to the field reached this page first, so theirs won and what was
 * typed here is gone from the field. The inspector provides it per field (Inspector.jsx).
 */
export const DraftLost = createContext(null);

// Text fields also save after this pause in typing, so the server's findings (a Liquid
// error, a warning about a huge loop) show while the user is still in the field.
const TYPING_PAUSE_MS = 700;

/**
 * Text kept locally while typing. A new value from outside (undo, a reload) replaces the
 * draft; the echo of the field's own save does not, so keys typed while it was on its way
 * are kept. `save(value, text)` calls `onSave`, recording the text whose echo to expect.
 */
export function useDraft(value, toText, onSave) {
  const [draft, setDraft] = useState(toText(value));
  const echo = useRef(null);
  const shown = useRef(toText(value)); // the value the draft started from
  const lost = useContext(DraftLost);
  useEffect(() => {
    const text = toText(value);
    if (text !== echo.current) {
      if (lost && draft !== shown.current && draft !== text) lost(draft);
      setDraft(text);
    }
    echo.current = null;
    shown.current = text;
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = (next, text) => {
    echo.current = text;
    onSave(next);
  };
  return [draft, setDraft, save];
}

/** Calls `commit` once typing has paused (`commit` does nothing when nothing changed). */
export function useSaveWhenIdle(draft, commit) {
  const latest = useRef(commit);
  latest.current = commit;
  useEffect(() => {
    const timer = setTimeout(() => latest.current(), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draft]);
}

/** Escape puts the saved value back into the field (the edit is cancelled, focus stays). */
export const cancelOnEscape = (setDraft, text) => (e) => {
  if (e.key !== 'Escape') return;
  e.preventDefault();
  setDraft(text);
};
