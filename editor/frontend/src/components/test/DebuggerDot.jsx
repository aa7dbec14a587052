// A widget's breakpoint on the canvas: a dot in the node's gutter (docs/debugger.md).
// Shown while the test panel is open; a click sets or removes the tester's breakpoint.
import { useContext } from 'react';
import { DebugContext } from '../../live/useDebugger.js';

export default function DebuggerDot({ name, isTrigger }) {
  const debug = useContext(DebugContext);
  if (!debug || isTrigger) return null;
  const condition = debug.breakpoints.get(name);
  const set = condition !== undefined;
  const title = set ? `Breakpoint${condition ? ` if ${condition}` : ''}: click to remove` : 'Click to stop test runs before this widget';
  return (
    <button
      type="button"
      className={`w-bp nodrag nopan${set ? ' is-set' : ''}${condition ? ' has-condition' : ''}`}
      title={title}
      aria-label={`${set ? 'Remove the' : 'Set a'} breakpoint on ${name}`}
      aria-pressed={set}
      data-testid={`breakpoint-${name}`}
      data-set={set ? 'true' : 'false'}
      onClick={(event) => {
        event.stopPropagation();
        debug.toggle(name);
      }}
    />
  );
}

/** The node's right-click: the debugger's menu (DebuggerMenu.jsx), while the panel is open. */
export function useDebugMenu(name) {
  const debug = useContext(DebugContext);
  if (!debug) return undefined;
  return (event) => {
    event.preventDefault();
    debug.openMenu(name, event.clientX, event.clientY);
  };
}
