// Compare mode's state: which two sides are compared (a revision number, 'published' or
// 'draft'), the server's diff of them and the revisions to choose from. Esc leaves it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getJson } from '../api.js';
import { compareView } from './model.js';

export function useCompare({ urls, notify, requestFit, setPanel, setViewing, clearSelection, version }) {
  const [refs, setRefs] = useState(null); // {from, to} while comparing
  const [data, setData] = useState(null); // {refs, response, view}
  const [revisions, setRevisions] = useState([]);
  const fitted = useRef(null);
  const from = refs ? refs.from : null;
  const to = refs ? refs.to : null;
  // The draft moves on while others edit: compared with it, the diff follows.
  const draftVersion = from === 'draft' || to === 'draft' ? version : null;

  useEffect(() => {
    if (!from) {
      setData(null);
      return undefined;
    }
    let current = true;
    getJson(urls.diff(from, to))
      .then((response) => {
        if (!current) return;
        setData({ refs: { from, to }, response, view: compareView(response) });
        if (fitted.current !== `${from}>${to}`) {
          fitted.current = `${from}>${to}`;
          requestFit(); // with the compared states, beside whatever panel is open
        }
      })
      .catch((error) => {
        if (!current) return;
        notify(error.message, 'error');
        setRefs(null);
      });
    getJson(urls.revisions).then((r) => current && setRevisions(r.revisions)).catch(() => {});
    return () => {
      current = false;
    };
  }, [from, to, draftVersion, urls, requestFit, notify]);

  const open = useCallback(
    (fromRef = 'published', toRef = 'draft') => {
      setViewing(null);
      setPanel(null);
      clearSelection();
      setRefs({ from: String(fromRef), to: String(toRef) });
    },
    [setViewing, setPanel, clearSelection],
  );
  const exit = useCallback(() => {
    clearSelection();
    fitted.current = null;
    setRefs(null);
  }, [clearSelection]);
  const choose = useCallback((side, value) => setRefs((r) => (r ? { ...r, [side]: value } : r)), []);

  const ready = Boolean(refs && data && data.refs.from === from && data.refs.to === to);
  return { active: Boolean(refs), ready, refs, data: ready ? data : null, revisions, open, exit, choose };
}
