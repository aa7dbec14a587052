// The step debugger's side of the test panel (docs/debugger.md): the tester's breakpoints
// (from `hello`, kept up to date by `debug.breakpoints`), the canvas's context menu, the
// start-anywhere widget, and the controls of a paused run (sent through useTestRun's `act`).

import { createContext, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { unsafeNumber } from './inputs.js';

/** What the canvas's widget nodes read: null when the test panel is closed. */
export const DebugContext = createContext(null);

/** The run's pause, or null: {widget, reason, condition, error}. */
export function pauseOf(run) {
  const x = run && run.execution;
  if (!x || x.status !== 'active' || !x.wait || x.wait.kind !== 'pause') return null;
  const pause = (x.debug && x.debug.pause) || {};
  return { widget: x.wait.widget, reason: pause.reason || 'breakpoint', condition: pause.condition || '', error: pause.error || null };
}

/** Parses the JSON a tester typed; {value} or {error} in words. */
export function parseJson(text, what) {
  if (!text.trim()) return { error: `${what} is empty; type a JSON value, e.g. "text", 42 or {"a": 1}` };
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `${what} is not valid JSON: ${error.message}` };
  }
  const unsafe = unsafeNumber(value);
  if (unsafe !== null) return { error: `${what} has a number too large to send${unsafe ? ` at ${unsafe}` : ''}; put it in quotes to send it as text` };
  return { value };
}

export function useDebugger(socket, test) {
  const [breakpoints, setBreakpoints] = useState(() => new Map());
  const [menu, setMenu] = useState(null); // {widget, x, y}
  const [startAt, setStartAt] = useState(null);
  const [tab, setTab] = useState(null); // asks the panel to show its Debug tab
  const [note, setNote] = useState(null);
  const pending = useRef(new Set());

  useEffect(() => {
    if (!socket) return undefined;
    return socket.listen({
      onFrame: (frame) => {
        if (frame.type === 'hello' || frame.type === 'debug.breakpoints') {
          setBreakpoints(new Map((frame.breakpoints || []).map((b) => [b.widget, b.condition])));
        }
        if (frame.ref && pending.current.delete(frame.ref)) {
          setNote(frame.type === 'error' ? { error: frame.message } : null);
        }
      },
    });
  }, [socket]);

  const send = useCallback(
    (message) => {
      const ref = socket ? socket.send(message) : null;
      if (ref) pending.current.add(ref);
      else setNote({ error: 'Not connected to the server; try again in a moment.' });
      return ref;
    },
    [socket],
  );

  const { run, hello } = test;
  const actions = useRef(test.actions);
  actions.current = test.actions;
  const paused = pauseOf(run);
  const pausedKey = paused ? JSON.stringify(paused) : '';
  const mine = Boolean(run && run.execution && run.execution.debug && hello && hello.user && run.execution.debug.tester === hello.user.id);

  const toggle = useCallback(
    (widget) => send(breakpoints.has(widget) ? { type: 'debug.breakpoint', widget, remove: true } : { type: 'debug.breakpoint', widget }),
    [breakpoints, send],
  );
  // What the widget nodes read: only this, so a run's progress does not re-render them.
  const canvas = useMemo(() => ({ breakpoints, toggle, openMenu: (widget, x, y) => setMenu({ widget, x, y }) }), [breakpoints, toggle]);

  return useMemo(
    () => ({
      canvas,
      breakpoints,
      note,
      dismissNote: () => setNote(null),
      setBreakpoint: (widget, condition = '') => send({ type: 'debug.breakpoint', widget, condition }),
      removeBreakpoint: (widget) => send({ type: 'debug.breakpoint', widget, remove: true }),
      toggle,
      menu,
      closeMenu: () => setMenu(null),
      startAt,
      setStartAt,
      startHere: (widget) => {
        setStartAt(widget);
        setTab({ name: 'debug', at: Date.now() });
      },
      tab,
      paused: pausedKey ? JSON.parse(pausedKey) : null,
      canControl: Boolean(pausedKey && mine),
      controls: {
        continue: () => actions.current.debug('run.continue'),
        step: () => actions.current.debug('run.step'),
        runTo: (widget) => actions.current.debug('run.run_to', { widget }),
        edit: (path, value) => actions.current.debug('run.edit', { path, value }),
      },
    }),
    [canvas, breakpoints, note, send, toggle, menu, startAt, tab, pausedKey, mine],
  );
}
