// Fitting the flow into the part of the canvas that shows: the inspector and the side or
// test panel lie over the canvas's right side (canvas.css, test-panel.css), so a fit that
// ignored them would leave widgets under them.

export const SIDE_WIDTH = 340; // .cv-inspector and .cv-panel in canvas.css
export const LIBRARY_WIDTH = 211; // .cv-library and its border
export const MIN_CANVAS = 240; // what the test panel leaves of the canvas, while it can
export const MIN_TEST_WIDTH = 300; // and the least it narrows to for that
export const COMPACT_BELOW = 640; // a canvas showing less than this gets a smaller minimap
const PADDING = 0.1;
const GAP = 24;
export const FIT_MS = 200; // the animation of a fit asked for (Fit view, Tidy up, an import…)

/** The pixels of the canvas's right side under the open inspector and panel. */
export function coveredWidth({ inspector, panel, testWidth }) {
  const side = panel === 'test' ? testWidth : panel ? SIDE_WIDTH : 0;
  return (inspector ? SIDE_WIDTH : 0) + side;
}

// .cv-canvas-tools (canvas.css) lies over the canvas's top: 10 px down, about 34 px tall.
const TOOLS_CLEARANCE = '56px';
const TOOLS_PX = 56;

// The minimap lies over the canvas's bottom right corner (beside the panels, canvas.css):
// React Flow's MiniMap is 200 × 150 in a Panel 15 px from the edges; Canvas.jsx draws the
// compact one in a canvas narrowed by the panels.
export const MINIMAP_SIZES = { normal: { width: 200, height: 150 }, compact: { width: 120, height: 90 } };
const MINIMAP_MARGIN = 15;

/** React Flow's pixels for a fractional padding (its parsePadding). */
const fraction = (length) => Math.floor((length - length / (1 + PADDING)) * 0.5);

/**
 * The extra padding that keeps a fit clear of the minimap: beside it (right) or above it
 * (bottom), whichever leaves the flow `bounds` ({width, height}) larger in the `pane`
 * ({width, height}, the whole canvas); beside it when the sizes are not known yet.
 */
export function minimapClearance({ minimap, bounds, pane, covered }) {
  if (!minimap) return null;
  const beside = { right: covered + minimap.width + MINIMAP_MARGIN + GAP };
  const above = { bottom: minimap.height + MINIMAP_MARGIN + GAP };
  if (!bounds || !bounds.width || !bounds.height || !pane || !pane.width || !pane.height) return beside;
  const left = fraction(pane.width);
  const right = covered > 0 ? covered + GAP : fraction(pane.width);
  const bottom = fraction(pane.height);
  const zoom = (r, b) => Math.min((pane.width - left - r) / bounds.width, (pane.height - TOOLS_PX - b) / bounds.height, 1);
  return zoom(beside.right, bottom) >= zoom(right, above.bottom) ? beside : above;
}

/**
 * React Flow's fitView options for a canvas whose right `covered` pixels are hidden; the
 * top keeps clear of the canvas tools, which a fit to 5% of the height left over the Trigger.
 * With `clear` ({minimap: {width, height} or null, bounds, pane}) no widget ends up under
 * the minimap either (minimapClearance).
 */
export function fitOptions(covered, extra = {}, clear = null) {
  const right = covered > 0 ? `${Math.round(covered + GAP)}px` : PADDING;
  const padding = { top: TOOLS_CLEARANCE, bottom: PADDING, left: PADDING, right };
  const room = clear ? minimapClearance({ ...clear, covered }) : null;
  if (room && room.right) padding.right = `${Math.round(room.right)}px`;
  if (room && room.bottom) padding.bottom = `${Math.round(room.bottom)}px`;
  return { maxZoom: 1, padding, ...extra };
}

/**
 * The test panel's width in a canvas body `body` pixels wide: the tester's choice, narrowed
 * (down to MIN_TEST_WIDTH) so that beside the library and the inspector it still leaves
 * MIN_CANVAS of the canvas, and never covers the library.
 */
export function testPanelWidth({ chosen, body, inspector, library }) {
  if (!body) return chosen;
  const room = body - (library ? LIBRARY_WIDTH : 0) - (inspector ? SIDE_WIDTH : 0) - MIN_CANVAS;
  return Math.max(Math.min(chosen, room), Math.min(chosen, MIN_TEST_WIDTH));
}
