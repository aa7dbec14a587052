// The page's one notice (a toast). Information fades after a few seconds, a warning about
// an edit that did not survive stays longer (and collects the lines that follow it), an
// error stays until closed.
import { useCallback, useEffect, useState } from 'react';

const FADE_MS = { info: 4000, warn: 12000 };

export function useNotice() {
  const [notice, setNotice] = useState(null);
  const notify = useCallback((text, kind = 'info') => {
    setNotice((current) => {
      const adding = current && kind === 'warn' && current.kind === 'warn' && Date.now() - current.at < FADE_MS.warn;
      return { text: adding ? `${current.text}\n${text}` : text, kind, at: Date.now() };
    });
  }, []);
  useEffect(() => {
    if (!notice || !FADE_MS[notice.kind]) return undefined;
    const timer = setTimeout(() => setNotice((n) => (n === notice ? null : n)), FADE_MS[notice.kind]);
    return () => clearTimeout(timer);
  }, [notice]);
  const close = useCallback(() => setNotice(null), []);
  return { notice, notify, close };
}
