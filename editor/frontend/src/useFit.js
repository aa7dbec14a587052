// How the page lies over the canvas, for App.jsx: the test panel's width, the canvas's right
// side hidden by the inspector and panels, the minimap's size, and the fitView options that
// keep a fit clear of all of them (fit.js), for the flow's size in the canvas's.
import { useMemo } from 'react';
import { useStore } from '@xyflow/react';
import { COMPACT_BELOW, LIBRARY_WIDTH, MINIMAP_SIZES, coveredWidth, fitOptions, testPanelWidth } from './fit.js';
import { boxOf } from './placement.js';

function sizeOf(states) {
  if (!states.length) return null;
  const boxes = states.map(boxOf);
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  return { width: Math.max(...boxes.map((b) => b.x + b.w)) - left, height: Math.max(...boxes.map((b) => b.y + b.h)) - top };
}

const paneWidth = (s) => s.width;
const paneHeight = (s) => s.height;

export function useFit({ states, showMinimap, inspector, panel, chosenTestWidth, bodyWidth, readOnly }) {
  const width = useStore(paneWidth);
  const height = useStore(paneHeight);
  const bounds = useMemo(() => sizeOf(states), [states]);
  const testWidth = testPanelWidth({ chosen: chosenTestWidth, body: bodyWidth, inspector, library: !readOnly });
  const covered = coveredWidth({ inspector, panel, testWidth });
  const visible = bodyWidth ? bodyWidth - (readOnly ? 0 : LIBRARY_WIDTH) - covered : 0; // the canvas left showing
  const minimap = showMinimap && (visible && visible < COMPACT_BELOW ? 'compact' : 'normal');
  const options = useMemo(
    () => fitOptions(covered, {}, { minimap: minimap ? MINIMAP_SIZES[minimap] : null, bounds, pane: { width, height } }),
    [covered, minimap, bounds, width, height],
  );
  return { testWidth, covered, visible, minimap, options };
}
