// The canvas's right-click menu on a widget while the test panel is open: set or remove a
// breakpoint, run a paused run to here, or start a test here (docs/debugger.md).
import { useEffect, useRef } from 'react';

export default function DebuggerMenu({ debug, isTrigger }) {
  const { menu } = debug;
  const box = useRef(null);
  useEffect(() => {
    if (!menu) return undefined;
    const close = (event) => {
      if (event.type === 'keydown' && event.key !== 'Escape') return;
      if (event.type === 'mousedown' && box.current && box.current.contains(event.target)) return;
      debug.closeMenu();
    };
    window.addEventListener('mousedown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('mousedown', close);
      window.removeEventListener('keydown', close);
    };
  }, [menu, debug]);
  if (!menu) return null;
  const { widget } = menu;
  const item = (label, testid, onClick, disabled = false) => (
    <button
      type="button"
      role="menuitem"
      className="dbg-menu-item"
      data-testid={testid}
      disabled={disabled}
      onClick={() => {
        debug.closeMenu();
        onClick();
      }}
    >
      {label}
    </button>
  );
  const trigger = isTrigger(widget);
  return (
    <div ref={box} className="dbg-menu" role="menu" style={{ left: menu.x, top: menu.y }} data-testid="debug-menu" aria-label={`Debugger: ${widget}`}>
      <div className="dbg-menu-title">{widget}</div>
      {trigger ? null : item(debug.breakpoints.has(widget) ? 'Remove breakpoint' : 'Add breakpoint', 'debug-menu-toggle', () => debug.toggle(widget))}
      {debug.canControl && !trigger ? item('Run to here', 'debug-menu-run-to', () => debug.controls.runTo(widget)) : null}
      {trigger ? null : item('Start test here…', 'debug-menu-start-here', () => debug.startHere(widget))}
    </div>
  );
}
