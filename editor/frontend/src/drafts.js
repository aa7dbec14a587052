// A field's draft: the text being typed, saved on blur or Enter, and (text fields) after a
// pause in typing.
import { useEffect, useRef, useState } from 'react';

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
  useEffect(() => {
    const text = toText(value);
    if (text !== echo.current) setDraft(text);
    echo.current = null;
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
