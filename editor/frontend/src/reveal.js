// Bringing widgets just added or pasted into view: placement.js may have moved them off the
// visible part of the canvas (the nearest free space was above the view, or under the
// inspector that opens on them), and a user who cannot see what they pasted thinks nothing
// happened. The canvas pans (the zoom stays) by the least that shows them.

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
 * once the selection's inspector has been drawn.
 */
export function reveal(flow, boxes) {
  if (!boxes.length) return;
  const topLeft = { x: Math.min(...boxes.map((b) => b.x)), y: Math.min(...boxes.map((b) => b.y)) };
  const bottomRight = { x: Math.max(...boxes.map((b) => b.x + b.w)), y: Math.max(...boxes.map((b) => b.y + b.h)) };
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const visible = visibleArea();
      if (!visible) return;
      const a = flow.flowToScreenPosition(topLeft);
      const b = flow.flowToScreenPosition(bottomRight);
      const { dx, dy } = panToShow({ left: a.x, top: a.y, right: b.x, bottom: b.y }, visible);
      if (!dx && !dy) return;
      const { x, y, zoom } = flow.getViewport();
      flow.setViewport({ x: x + dx, y: y + dy, zoom }, { duration: 200 });
    }),
  );
}
