// A test case's result on the canvas: the path it took, and the widget where it failed
// (drawn as the test panel draws a run, see live/overlay.js).
import { edgeOfStep, mockedBadge } from '../../live/transcript.js';

export function caseOverlay(result, states, flowSid) {
  if (!result) return null;
  const steps = (result.steps || [])
    .filter((s) => !flowSid || !s.flow_sid || s.flow_sid === flowSid)
    .map((s) => ({ from: s.widget, event: s.event, to: s.to }));
  const failed = result.failure ? result.failure.widget : null;
  return {
    current: null,
    visited: new Set(steps.map((s) => s.from)),
    pathEdges: new Set(steps.map((s) => edgeOfStep(states, s)).filter(Boolean)),
    lastEdge: null,
    waiting: null,
    focused: null,
    failed,
  };
}

/**
 * The steps a case's mocks answered (`mock: {status}` on a result's step, as on a test
 * run's), with the test panel's "Mocked" label: [{index, widget, label, title}].
 */
export function mockedSteps(result) {
  return ((result && result.steps) || [])
    .map((s) => {
      const badge = mockedBadge({ kind: 'step', mock: s.mock });
      if (!badge) return null;
      const title = `Answered by the case's mocks.http.${s.widget}; no request was sent`;
      return { index: s.index, widget: s.widget, label: badge.label, title };
    })
    .filter(Boolean);
}

/** `?replay=FN…` on the page URL: the execution page's "Replay on draft". */
export function replayInUrl() {
  const sid = new URLSearchParams(window.location.search).get('replay');
  return sid && /^FN[0-9a-f]{32}$/.test(sid) ? sid : null;
}
