// The width of an element (given by a callback ref), kept up to date as the window or the
// layout around it changes.
import { useEffect, useState } from 'react';

export function useWidth(element) {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => setWidth(Math.round(entry.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}
