// Where added and pasted widgets land: as near as possible to where they were meant to go,
// never on another widget's box (nor closer to it than GAP, or than a larger gap asked for
// above and below: room for the transitions drawn between them).
import { NODE_HEIGHT, nodeWidth } from './components/WidgetNode.jsx';
import { offsetOf } from './graph.js';

export const GAP = 20;
const FIRST_RADIUS = 400;

export function boxOf(state) {
  const { x, y } = offsetOf(state);
  return { x, y, w: nodeWidth(state), h: NODE_HEIGHT };
}

function clash(a, b, dx, dy, gapY) {
  return a.x + dx < b.x + b.w + GAP && b.x < a.x + dx + a.w + GAP && a.y + dy < b.y + b.h + gapY && b.y < a.y + dy + a.h + gapY;
}

function boundsOf(boxes) {
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { left, top, right, bottom };
}

/**
 * The shortest shift {dx, dy} that moves every box of `group` clear of every box in `taken`.
 * On each axis the nearest free shift is either none or one that puts a group box against
 * the side of a taken box, so only those candidates are tried, nearest first. Only the
 * taken boxes within `radius` can block a shift no longer than `radius`; the radius grows
 * until a free shift is found, so a crowded 1,000-widget flow costs little more than a
 * small one.
 */
export function freeShift(group, taken, gapY = GAP) {
  if (!group.length) return { dx: 0, dy: 0 };
  const area = boundsOf(group);
  for (let radius = FIRST_RADIUS; ; radius *= 2) {
    const reach = radius + Math.max(GAP, gapY);
    const near = taken.filter(
      (t) => t.x < area.right + reach && t.x + t.w > area.left - reach && t.y < area.bottom + reach && t.y + t.h > area.top - reach,
    );
    const everything = near.length === taken.length;
    const xs = new Set([0]);
    const ys = new Set([0]);
    for (const g of group) {
      for (const t of near) {
        xs.add(t.x + t.w + GAP - g.x);
        xs.add(t.x - GAP - g.w - g.x);
        ys.add(t.y + t.h + gapY - g.y);
        ys.add(t.y - gapY - g.h - g.y);
      }
    }
    const candidates = [];
    for (const dx of xs) {
      for (const dy of ys) {
        const distance = Math.hypot(dx, dy);
        if (everything || distance <= radius) candidates.push({ dx, dy, distance });
      }
    }
    candidates.sort((a, b) => a.distance - b.distance);
    const free = candidates.find(({ dx, dy }) => !group.some((g) => near.some((t) => clash(g, t, dx, dy, gapY))));
    if (free) return { dx: free.dx, dy: free.dy };
  }
}

/** The add_widget ops moved, all by the same shift, to where they overlap nothing (and stay
 * `gapY` clear of the widgets above and below). */
export function placeOps(ops, states, gapY = GAP) {
  const taken = states.map(boxOf);
  const { dx, dy } = freeShift(ops.map((op) => boxOf(op.state)), taken, gapY);
  if (!dx && !dy) return ops;
  return ops.map((op) => {
    const { x, y } = offsetOf(op.state);
    return { ...op, state: { ...op.state, properties: { ...op.state.properties, offset: { x: x + dx, y: y + dy } } } };
  });
}
