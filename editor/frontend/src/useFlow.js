// The flow document, its version and the save queue, with optimistic edits and undo/redo.
// Undo sends the inverse operations as a new versioned edit, so it is saved like any edit.

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getJson } from './api.js';
import { applyOps, inverseOps } from './ops.js';
import { EditQueue } from './saver.js';

const HISTORY = 200;

export function useFlow(urls, firstDocument) {
  const [meta, setMeta] = useState(null); // the document response minus the definition
  const [doc, setDoc] = useState(null);
  const [problems, setProblems] = useState([]);
  const [save, setSave] = useState({ state: 'saved', message: '', pending: 0 });
  const [history, setHistory] = useState({ undo: 0, redo: 0 });
  const [loadError, setLoadError] = useState('');
  const docRef = useRef(null);
  const undoRef = useRef([]);
  const redoRef = useRef([]);
  const reloadAfterIdle = useRef(false);
  const queueRef = useRef(null);

  const setDocument = useCallback((next) => {
    docRef.current = next;
    setDoc(next);
  }, []);

  const syncHistory = () => setHistory({ undo: undoRef.current.length, redo: redoRef.current.length });

  /** Fetch the working copy; pending (unsaved) ops are re-applied on top of it. */
  const first = useRef(firstDocument);
  const reload = useCallback(
    async ({ discard = false, keepError = false } = {}) => {
      const prefetched = first.current;
      first.current = null;
      const response = await (prefetched || getJson(urls.document));
      const { definition, ...rest } = response;
      const queue = queueRef.current;
      let next = definition;
      if (queue && !discard) next = applyOps(definition, queue.pending.flat());
      setDocument(next);
      setMeta(rest);
      setProblems(response.problems || []);
      if (discard) {
        undoRef.current = [];
        redoRef.current = [];
        syncHistory();
      }
      if (!queue) return response;
      // After a refused edit the queue stays stopped, showing why, until the user goes on.
      if (keepError) queue.version = response.version;
      else if (discard) queue.discard(response.version);
      else queue.resume(response.version);
      return response;
    },
    [urls, setDocument],
  );

  const queue = useMemo(() => {
    const q = new EditQueue({
      url: urls.edits,
      version: 0,
      onChange: (s) => {
        setSave(s);
        if (s.state === 'saved' && reloadAfterIdle.current && q.idle()) {
          reloadAfterIdle.current = false;
          reload();
        }
      },
      onAccepted: (result, ops) => {
        setProblems(result.problems || []);
        setMeta((m) => (m ? { ...m, version: result.version, unpublished_changes: true, unsaved_changes: true } : m));
        if (ops.some((op) => op.op === 'rename_widget')) reloadAfterIdle.current = true;
      },
      onRefused: () => {
        // The server refused a batch: show the truth again, with later pending ops on top.
        reload({ keepError: true });
      },
    });
    queueRef.current = q;
    return q;
  }, [urls, reload]);

  useEffect(() => {
    reload().catch((error) => setLoadError(error.message));
  }, [reload]);

  /** Apply `ops` locally at once and queue them for the server. */
  const edit = useCallback(
    (ops, { record = true } = {}) => {
      if (!ops.length || !docRef.current) return;
      const inverse = inverseOps(docRef.current, ops);
      setDocument(applyOps(docRef.current, ops));
      if (record) {
        undoRef.current = [...undoRef.current, { ops, inverse }].slice(-HISTORY);
        redoRef.current = [];
        syncHistory();
      }
      queue.push(ops);
    },
    [queue, setDocument],
  );

  const undo = useCallback(() => {
    const entry = undoRef.current.pop();
    if (!entry) return;
    redoRef.current.push(entry);
    syncHistory();
    edit(entry.inverse, { record: false });
  }, [edit]);

  const redo = useCallback(() => {
    const entry = redoRef.current.pop();
    if (!entry) return;
    undoRef.current.push(entry);
    syncHistory();
    edit(entry.ops, { record: false });
  }, [edit]);

  /** Replace everything after an import, a restore or a publish (a full document response). */
  const adopt = useCallback(
    (response) => {
      const { definition, ...rest } = response;
      setDocument(definition);
      setMeta(rest);
      setProblems(response.problems || []);
      undoRef.current = [];
      redoRef.current = [];
      syncHistory();
      queue.discard(response.version);
    },
    [queue, setDocument],
  );

  /** After publish or save draft: the same document, new status and revision. */
  const refresh = useCallback(
    (response) => {
      const { definition, ...rest } = response; // eslint-disable-line no-unused-vars
      setMeta(rest);
      setProblems(response.problems || []);
      if (queue.idle()) queue.version = response.version;
    },
    [queue],
  );

  return { meta, setMeta, refresh, doc, problems, save, history, loadError, edit, undo, redo, reload, adopt, queue, docRef };
}
