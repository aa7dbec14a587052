// Fitting the flow into the part of the canvas that shows: the inspector and the side or
// test panel lie over the canvas's right side (canvas.css, test-panel.css), so a fit that
// ignored them would leave widgets under them.

export const SIDE_WIDTH = 340; // .cv-inspector and .cv-panel in canvas.css
const PADDING = 0.1;
const GAP = 24;
export const FIT_MS = 200; // the animation of a fit asked for (Fit view, Tidy up, an import…)

/** The pixels of the canvas's right side under the open inspector and panel. */
export function coveredWidth({ inspector, panel, testWidth }) {
  const side = panel === 'test' ? testWidth : panel ? SIDE_WIDTH : 0;
  return (inspector ? SIDE_WIDTH : 0) + side;
}

/** React Flow's fitView options for a canvas whose right `covered` pixels are hidden. */
export function fitOptions(covered, extra = {}) {
  const padding = covered > 0 ? { top: PADDING, bottom: PADDING, left: PADDING, right: `${Math.round(covered + GAP)}px` } : PADDING;
  return { maxZoom: 1, padding, ...extra };
}
