// The canvas's own toolbar: snap to grid (only where widgets can be moved: not for a viewer,
// an old revision or a comparison), the minimap, fit view.
export default function CanvasTools({ snap, setSnap, minimap, setMinimap, onFit, readOnly }) {
  return (
    <div className="cv-canvas-tools">
      {readOnly ? null : (
        <label className="cv-check" title="Snap to grid">
          <input type="checkbox" checked={snap} onChange={(e) => setSnap(e.target.checked)} data-testid="snap" /> Snap
        </label>
      )}
      <label className="cv-check" title="Show the minimap (off by default for large flows); the choice is remembered">
        <input type="checkbox" checked={minimap} onChange={(e) => setMinimap(e.target.checked)} data-testid="minimap" /> Minimap
      </label>
      <button type="button" className="cv-link" onClick={onFit} data-testid="fit">
        Fit view
      </button>
    </div>
  );
}
