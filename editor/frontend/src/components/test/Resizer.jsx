// The test panel's left edge: drag it (or use the arrow keys on it) to change the width.
export const MIN_WIDTH = 360;
const maxWidth = () => Math.max(MIN_WIDTH, Math.round(window.innerWidth * 0.7));
export const clampWidth = (w) => Math.min(maxWidth(), Math.max(MIN_WIDTH, Math.round(w)));

export default function Resizer({ width, setWidth }) {
  function onPointerDown(e) {
    e.preventDefault();
    const startX = e.clientX;
    const startWidth = width;
    const move = (m) => setWidth(clampWidth(startWidth + startX - m.clientX));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }
  function onKeyDown(e) {
    if (e.key === 'ArrowLeft') setWidth(clampWidth(width + 40));
    else if (e.key === 'ArrowRight') setWidth(clampWidth(width - 40));
    else return;
    e.preventDefault();
  }
  return (
    <div
      className="tp-resize"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the test panel"
      aria-valuenow={width}
      aria-valuemin={MIN_WIDTH}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      data-testid="test-resize"
    />
  );
}
