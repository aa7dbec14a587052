// Bringing widgets just added, pasted or jumped to into view: placement.js may have moved them off the
// visible part of the canvas (the nearest free space was above the view, or under the
// inspector that opens on them), and a user who cannot see what they pasted thinks nothing
// happened. The canvas pans (the zoom stays) by the least that shows them, clear of the
// inspector, the panels and the minimap.

const MARGIN = 24;

/**
 * The pan {dx, dy} in screen pixels that brings `box` ({left, top, right, bottom}) inside
 * `visible`, as small as it can be; a box larger than `visible` is aligned on its top left.
 */
export function panToShow(box, visible) {
  const axis = (low, high, min, max) => {
    if (high - low > max - min || low < min) return min - low;
    if (high > max) return max - high;
    return 0;
  };
  return { dx: axis(box.left, box.right, visible.left, visible.right), dy: axis(box.top, box.bottom, visible.top, visible.bottom) };
}

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const moved = (box, { dx, dy }) => ({ left: box.left + dx, right: box.right + dx, top: box.top + dy, bottom: box.bottom + dy });
const length = ({ dx, dy }) => Math.abs(dx) + Math.abs(dy);

/**
 * As panToShow, and the box ends up clear of `obstacle` (the minimap's rectangle, or null)
 * too: beside it or above it, whichever pans less.
 */
export function panClearOf(box, visible, obstacle) {
  const pan = panToShow(box, visible);
  if (!obstacle || !overlaps(moved(box, pan), obstacle)) return pan;
  const candidates = [
    panToShow(box, { ...visible, right: Math.min(visible.right, obstacle.left - MARGIN) }),
    panToShow(box, { ...visible, bottom: Math.min(visible.bottom, obstacle.top - MARGIN) }),
  ].filter((p) => !overlaps(moved(box, p), obstacle));
  return candidates.length ? candidates.reduce((a, b) => (length(b) < length(a) ? b : a)) : pan;
}

/** The minimap's rectangle on screen, or null when it is off. */
function minimapArea() {
  const minimap = document.querySelector('.cv-canvas .react-flow__minimap');
  const r = minimap && minimap.getBoundingClientRect();
  return r && r.width ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
}

/** The part of the canvas no panel lies over, in screen pixels, less a margin. */
function visibleArea() {
  const canvas = document.querySelector('.cv-canvas');
  if (!canvas) return null;
  const area = canvas.getBoundingClientRect();
  let right = area.right;
  for (const side of canvas.parentElement.querySelectorAll('.cv-inspector, .cv-panel')) {
    const r = side.getBoundingClientRect();
    if (r.width && r.left < right) right = r.left;
  }
  return { left: area.left + MARGIN, top: area.top + MARGIN, right: right - MARGIN, bottom: area.bottom - MARGIN };
}

/**
 * Pans the canvas so that `boxes` (placement.js's {x, y, w, h} in flow coordinates) show,
 * once the selection's inspector has been drawn, clear of the minimap where it is drawn then
 * (canvas.css moves it left of the inspector and panels). `after` (ms) waits first for a
 * pan already under way: a widget centred by a jump (usePageActions.js) at a zoom that puts
 * it partly under the minimap is moved clear. (The test panel's centring, in a canvas the
 * panel and the inspector leave narrow, is not: there this pan put the widget under the
 * panel, tests/test_test_panel_layout_browser.py.)
 */
export function reveal(flow, boxes, { after = 0 } = {}) {
  if (!boxes.length) return;
  if (after) {
    setTimeout(() => reveal(flow, boxes), after);
    return;
  }
  const topLeft = { x: Math.min(...boxes.map((b) => b.x)), y: Math.min(...boxes.map((b) => b.y)) };
  const bottomRight = { x: Math.max(...boxes.map((b) => b.x + b.w)), y: Math.max(...boxes.map((b) => b.y + b.h)) };
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const visible = visibleArea();
      if (!visible) return;
      const a = flow.flowToScreenPosition(topLeft);
      const b = flow.flowToScreenPosition(bottomRight);
      const { dx, dy } = panClearOf({ left: a.x, top: a.y, right: b.x, bottom: b.y }, visible, minimapArea());
      if (!dx && !dy) return;
      const { x, y, zoom } = flow.getViewport();
      flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 200 });
    }),
  );
}
