// Arrow keys move the selected widgets (React Flow's own keyboard moves: 5 px, or a grid step
// with Snap on; Shift moves four times as far). They reach the canvas as position changes
// outside any drag, with no drag stop to save them; a run of them is saved here as one
// move_widgets edit once the keys rest, so one undo takes the whole run back.
import { useCallback, useEffect, useMemo, useRef } from 'react';

export const NUDGE_REST_MS = 400;

/** The offsets a batch of node changes moves widgets to by keyboard, or null (a drag's or none). */
export function keyboardMoves(changes, dragging) {
  if (dragging) return null;
  let offsets = null;
  for (const c of changes) {
    if (c.type !== 'position' || c.dragging || !c.position) continue;
    offsets = offsets || {};
    offsets[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
  }
  return offsets;
}

/** `take(changes, dragging)` collects keyboard moves; `pending()` says some wait to be saved. */
export function useNudge(edit) {
  const moves = useRef(null);
  const timer = useRef(null);
  const latestEdit = useRef(edit);
  latestEdit.current = edit;
  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = null;
    const offsets = moves.current;
    moves.current = null;
    if (offsets) latestEdit.current([{ op: 'move_widgets', offsets }]);
  }, []);
  useEffect(() => flush, [flush]);
  // Any other key (Ctrl+Z above all) first saves the moves made so far, so an undo pressed
  // right after them takes them back rather than the edit before. The canvas's listener is
  // added before the page's shortcuts (a child's effects run first), so it runs before them.
  useEffect(() => {
    const onKeyDown = (event) => {
      if (moves.current && !event.key.startsWith('Arrow') && event.key !== 'Shift') flush();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [flush]);
  return useMemo(
    () => ({
      take(changes, dragging) {
        const offsets = keyboardMoves(changes, dragging);
        if (!offsets) return;
        moves.current = { ...moves.current, ...offsets };
        clearTimeout(timer.current);
        timer.current = setTimeout(flush, NUDGE_REST_MS);
      },
      pending: () => moves.current !== null,
    }),
    [flush],
  );
}
