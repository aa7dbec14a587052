// The test panel's side of the editor: the live run (useTestRun), the panel's width, the
// widget chosen in the panel (centred on the canvas) and the overlay the canvas draws.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTestRun, initialExecution } from './useTestRun.js';
import { useDebugger } from './useDebugger.js';
import { runOverlay } from './overlay.js';
import { executionInUrl, savedOpen, saveOpen } from './storage.js';
import { clampWidth } from '../components/test/Resizer.jsx';
import { offsetOf } from '../graph.js';
import { NODE_HEIGHT, nodeWidth } from '../components/WidgetNode.jsx';

const WIDTH_KEY = 'studio.test.width';
const DEFAULT_WIDTH = 480;

/** Whether the page opens with the test panel: a linked execution, or it was open before a reload. */
export function initialTestPanel(flowSid) {
  if (!flowSid) return false;
  return Boolean(executionInUrl() || (savedOpen(flowSid) && initialExecution(flowSid)));
}

function savedWidth() {
  const width = Number(window.localStorage.getItem(WIDTH_KEY));
  return clampWidth(width || DEFAULT_WIDTH);
}

export function useTestSession({ flowSid, socket, open, states, flow }) {
  const test = useTestRun(flowSid, socket);
  const debug = useDebugger(socket, test);
  const [width, setWidthState] = useState(savedWidth);
  const [focused, setFocused] = useState(null);

  useEffect(() => saveOpen(flowSid, open), [flowSid, open]);

  const setWidth = useCallback((w) => {
    setWidthState(w);
    try {
      window.localStorage.setItem(WIDTH_KEY, String(w));
    } catch (error) {
      // the width is a nicety
    }
  }, []);

  /** Centres a widget in the part of the canvas the panel (and the inspector) leave visible:
   * their widths as drawn, for a narrow window narrows the panel (fit.js testPanelWidth). */
  const centre = useCallback(
    (state) => {
      const zoom = Math.max(flow.getZoom(), 0.8);
      const o = offsetOf(state);
      const panel = document.querySelector('.cv-body > .tp-panel');
      const inspector = document.querySelector('.cv-body > .cv-inspector');
      const covered = (panel ? panel.offsetWidth : width) + (inspector ? inspector.offsetWidth : 0);
      flow.setCenter(o.x + nodeWidth(state) / 2 + covered / 2 / zoom, o.y + NODE_HEIGHT / 2, { zoom, duration: 200 });
    },
    [flow, width],
  );

  /** Marks a widget chosen in the panel (a step, a mock) and centres it. */
  const focus = useCallback(
    (name) => {
      setFocused(name);
      const state = name && states.find((s) => s.name === name);
      if (state) centre(state);
    },
    [states, centre],
  );

  const overlay = useMemo(() => (open ? runOverlay(test.run, states, focused) : null), [open, test.run, states, focused]);

  // The canvas follows the run: a widget the run moves to that is off screen (or under the
  // panel) is brought into view; one in view is left where the tester put it.
  const current = overlay ? overlay.current : null;
  useEffect(() => {
    const state = current && states.find((s) => s.name === current);
    const pane = document.querySelector('.cv-canvas');
    if (!state || !pane) return;
    const o = offsetOf(state);
    const topLeft = flow.flowToScreenPosition(o);
    const bottomRight = flow.flowToScreenPosition({ x: o.x + nodeWidth(state), y: o.y + NODE_HEIGHT });
    const box = pane.getBoundingClientRect();
    const inView = topLeft.x >= box.left && topLeft.y >= box.top && bottomRight.x <= box.right - width && bottomRight.y <= box.bottom;
    if (!inView) centre(state);
  }, [current]); // eslint-disable-line react-hooks/exhaustive-deps

  return { test, debug, width, setWidth, focus, overlay };
}
