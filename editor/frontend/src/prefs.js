// The canvas's preferences that outlast the page (localStorage, for every flow): today the
// Minimap toggle of the canvas tools (CanvasTools.jsx). Without a choice the minimap shows
// unless the flow is large (Canvas.jsx LARGE_FLOW).
import { useCallback, useState } from 'react';

const MINIMAP_KEY = 'studio.canvas.minimap';

function storage() {
  try {
    return globalThis.window ? window.localStorage : null;
  } catch (error) {
    return null; // storage refused (a sandboxed frame)
  }
}

/** true or false as last chosen, or null when the tester never chose. */
export function savedMinimap() {
  const value = storage()?.getItem(MINIMAP_KEY);
  return value === 'on' ? true : value === 'off' ? false : null;
}

export function saveMinimap(on) {
  try {
    storage()?.setItem(MINIMAP_KEY, on ? 'on' : 'off');
  } catch (error) {
    // Private browsing or a full quota: the toggle works, a reload just forgets it.
  }
}

/** [choice, setChoice] for App.jsx: the choice (null: never chosen) and its setter, which keeps it. */
export function useMinimapChoice() {
  const [minimap, setState] = useState(savedMinimap);
  const choose = useCallback((on) => {
    setState(on);
    saveMinimap(on);
  }, []);
  return [minimap, choose];
}
