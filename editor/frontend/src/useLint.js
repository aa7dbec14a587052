// Live linting: 400 ms after the document shown last changed (and once it has loaded), the
// canvas asks the server's linter about it (docs/linter.md, "HTTP"): a GET when it is the
// stored draft, else a POST of the document. Editing never waits for it; an answer that a
// later request has overtaken is dropped (lint.js's Sequencer).
import { useEffect, useMemo, useRef, useState } from 'react';
import { getJson, postJson } from './api.js';
import { Sequencer, countFindings, lintRequest, locateFindings } from './lint.js';

export const LINT_DELAY_MS = 400;
const EMPTY = { findings: [], rules: {}, doc: null };

export function useLint({ store, view, url, enabled, catalogue }) {
  const [result, setResult] = useState(EMPTY);
  const [error, setError] = useState('');
  const sequencer = useRef(new Sequencer());

  useEffect(() => {
    if (!enabled || !view) return undefined;
    const timer = setTimeout(async () => {
      const n = sequencer.current.next();
      const state = store.state;
      const doc = state.view;
      const request = lintRequest(state);
      try {
        const answer = request.method === 'GET' ? await getJson(url) : await postJson(url, request.body);
        if (!sequencer.current.isCurrent(n)) return;
        setResult({ findings: answer.findings || [], rules: answer.rules || {}, doc });
        setError('');
      } catch (e) {
        if (sequencer.current.isCurrent(n)) setError(e.message);
      }
    }, LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [store, view, url, enabled]);

  // Widgets renamed or deleted since are located again on the document shown.
  const located = useMemo(
    () => (enabled && view ? locateFindings(result.findings, view.states, catalogue) : []),
    [result, view, enabled, catalogue],
  );
  const counts = useMemo(() => countFindings(located), [located]);
  // The fixes were computed for the document linted; once it changed they wait for the next answer.
  const stale = Boolean(view && result.doc !== view);
  return { findings: located, rules: result.rules, counts, stale, error };
}
