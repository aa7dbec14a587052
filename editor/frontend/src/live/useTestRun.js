// The live test run of one flow: what the server said in `hello`, the flow's mocks and the
// watched execution (docs/protocol.md), over the page's one websocket (socket.js), which
// co-editing and presence share.

import { useCallback, useEffect, useRef, useState } from 'react';
import { emptyRun, fromSnapshot, withDelta } from './transcript.js';
import { dropExecutionFromUrl, executionInUrl, savedRun, saveRun } from './storage.js';

const DRIVE_PATIENCE = 15000; // ms; an answer that never comes does not lock the controls
const OFFLINE = { code: 'offline', message: 'Not connected to the server; reconnecting. Try again in a moment.' };

/** The execution to show when the page opens: the URL's, else the one this tab watched. */
export function initialExecution(flowSid) {
  return executionInUrl() || savedRun(flowSid);
}

/**
 * Whether a `mocks` frame is the answer to this tab's mocks.set. The server broadcasts it
 * to every connection without the request's ref, so it is ours when we asked and the
 * change is by our user.
 */
function ownMocks(frame, pending, hello) {
  if (frame.ref && pending.delete(frame.ref)) return true;
  if (!pending.size || !hello || frame.changed_by !== hello.user.name) return false;
  pending.delete(pending.values().next().value);
  return true;
}

/** An error the server sends without a ref because it did not read the frame (too large, or
 * over the rate): it answers whichever request was waiting. */
export const unanswered = (frame) => !frame.ref && (frame.code === 'frame_too_large' || frame.code === 'rate_limited');

export function useTestRun(flowSid, pageSocket) {
  const [conn, setConn] = useState({ state: 'idle', message: '' });
  const [hello, setHello] = useState(null);
  const [mocks, setMocks] = useState({});
  const [mocksNote, setMocksNote] = useState(null);
  const [run, setRunState] = useState(() => {
    const sid = initialExecution(flowSid);
    return sid ? emptyRun(sid) : null;
  });
  const [error, setError] = useState(null);
  const [stepView, setStepViewState] = useState(null); // {entry, context} of a chosen step
  const [starting, setStarting] = useState(false);
  // A reply, key press or event in flight: its controls wait for the answer, so a double
  // click cannot fire the same event again on whatever waits next.
  const [driving, setDriving] = useState(null);
  useEffect(() => {
    if (!driving) return undefined;
    const timer = setTimeout(() => setDriving(null), DRIVE_PATIENCE);
    return () => clearTimeout(timer);
  }, [driving]);
  const socket = useRef(null);
  const runRef = useRef(run);
  const stepRef = useRef(null);
  const helloRef = useRef(null);
  const refs = useRef({ start: null, catchUp: null, mocks: new Set() });

  const setRun = useCallback(
    (next) => {
      runRef.current = next;
      setRunState(next);
      saveRun(flowSid, next ? next.sid : null);
    },
    [flowSid],
  );
  const setStepView = (next) => {
    stepRef.current = next;
    setStepViewState(next);
  };

  const request = useCallback((message) => {
    const ref = socket.current ? socket.current.send(message) : null;
    if (!ref) setError({ ...OFFLINE, at: Date.now() });
    return ref;
  }, []);

  /** Asks for what is missing: everything after lastSeq (or a whole snapshot). */
  const catchUp = useCallback(() => {
    const current = runRef.current;
    if (!current || refs.current.catchUp || !socket.current) return;
    const message = { type: 'run.watch', execution: current.sid };
    if (current.lastSeq) message.after = current.lastSeq;
    refs.current.catchUp = socket.current.send(message);
  }, []);

  const onFrame = (frame) => {
    const current = runRef.current;
    const own = refs.current;
    if (frame.ref) setDriving((ref) => (ref === frame.ref ? null : ref));
    if (frame.type === 'hello') {
      helloRef.current = frame;
      setHello(frame);
      setMocks(frame.mocks || {});
    } else if (frame.type === 'mocks') {
      setMocks(frame.mocks);
      setMocksNote({ by: frame.changed_by, mine: ownMocks(frame, own.mocks, helloRef.current), at: Date.now() });
    } else if (frame.type === 'run.snapshot') {
      if (frame.ref && frame.ref === own.start) {
        own.start = null;
        setStarting(false);
        if (current && current.sid !== frame.execution.sid) socket.current.send({ type: 'run.unwatch', execution: current.sid });
        setStepView(null);
        setRun(fromSnapshot(frame));
        dropExecutionFromUrl();
      } else if (current && current.sid === frame.execution.sid) {
        if (frame.ref === own.catchUp) own.catchUp = null;
        setRun(fromSnapshot(frame));
      }
    } else if (frame.type === 'run.delta') {
      if (!current || current.sid !== frame.execution.sid) return;
      if (frame.ref && frame.ref === own.catchUp) own.catchUp = null;
      const { run: next, gap } = withDelta(current, frame);
      setRun(next);
      if (gap) catchUp();
    } else if (frame.type === 'step.context') {
      const chosen = stepRef.current;
      if (chosen && chosen.entry.step === frame.step) setStepView({ ...chosen, context: frame.context });
    } else if (frame.type === 'error') {
      onError(frame, current, own);
    }
  };

  const onError = (frame, current, own) => {
    if (frame.ref && frame.ref === own.start) {
      own.start = null;
      setStarting(false);
    }
    if (unanswered(frame)) {
      // The frame went unread, so nothing waits for its answer: Start and the simulator's
      // controls come back (a late answer to an earlier request is still taken).
      setStarting(false);
      setDriving(null);
    }
    const watching = frame.ref && frame.ref === own.catchUp;
    if (watching) own.catchUp = null;
    // A watched execution that is not there (another flow's link, a deleted run): forget it.
    if (frame.code === 'not_found' && current && (watching || frame.execution === current.sid)) setRun(null);
    own.mocks.delete(frame.ref);
    setError({ code: frame.code, message: frame.message, at: Date.now() });
  };

  // The socket calls the latest handlers (they read state through refs).
  const handlers = useRef({});
  handlers.current = {
    onFrame,
    onOpen: () => {
      refs.current.catchUp = null;
      setDriving(null); // an answer lost with the old connection never comes
      if (refs.current.start) {
        refs.current.start = null;
        setStarting(false);
        setError({ code: 'offline', message: 'The connection dropped while the run was starting. Start it again.', at: Date.now() });
      }
      catchUp();
    },
    onStatus: setConn,
  };

  useEffect(() => {
    socket.current = pageSocket;
    const stop = pageSocket.listen({
      onFrame: (f) => handlers.current.onFrame(f),
      onOpen: () => handlers.current.onOpen(),
      onStatus: (s) => handlers.current.onStatus(s),
    });
    return () => {
      stop();
      socket.current = null;
    };
  }, [pageSocket]);

  const act = useCallback(
    (type, fields = {}) => {
      if (!runRef.current) return null;
      // Name the widget being answered: if the run has moved on meanwhile (a late click,
      // another tab answered first), the server refuses instead of answering the next one.
      const { execution } = runRef.current;
      const wait = execution && execution.status === 'active' ? execution.wait : null;
      const guard = wait && type !== 'run.end' && type !== 'step.context' ? { widget: wait.widget } : {};
      const ref = request({ type, execution: runRef.current.sid, ...guard, ...fields });
      if (ref && type !== 'step.context') setDriving(ref);
      return ref;
    },
    [request],
  );

  const actions = {
    start: (params) => {
      const ref = request({ type: 'run.start', ...params });
      if (!ref) return;
      refs.current.start = ref;
      setStarting(true);
      setError(null);
    },
    watch: (sid) => {
      setStepView(null);
      setRun(emptyRun(sid));
      refs.current.catchUp = null;
      catchUp();
    },
    forget: () => {
      if (runRef.current && socket.current) socket.current.send({ type: 'run.unwatch', execution: runRef.current.sid });
      setStepView(null);
      setRun(null);
    },
    reply: (body, mediaUrl) => act('run.reply', mediaUrl ? { body, media_url: mediaUrl } : { body }),
    gather: (input) => act('run.gather', input),
    fire: (event, params) => act('run.event', params && Object.keys(params).length ? { event, params } : { event }),
    hangup: () => act('run.hangup'),
    end: () => act('run.end'),
    showStep: (entry) => {
      if (!entry) {
        setStepView(null);
        return;
      }
      setStepView({ entry, context: null });
      act('step.context', { step: entry.step });
    },
    setMock: (widget, mock) => {
      const ref = request({ type: 'mocks.set', widget, mock });
      if (ref) refs.current.mocks.add(ref);
      return ref;
    },
    // The step debugger's controls (useDebugger.js): run.continue, run.step, run.run_to, run.edit.
    debug: (type, fields) => act(type, fields),
    dismissError: () => setError(null),
    reconnect: () => socket.current && socket.current.reconnectNow(),
  };

  return { conn, hello, mocks, mocksNote, run, error, stepView, starting, driving: Boolean(driving), actions };
}
