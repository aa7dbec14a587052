// Live linting: 400 ms after the document shown last changed (and once it has loaded), the
// canvas asks the server's linter about it (docs/linter.md, "HTTP"): a GET when it is the
// stored draft, else a POST of the document. Editing never waits for it; one request is on
// its way at a time, and an answer that a later request has overtaken is dropped (lint.js's
// LintRunner). Not while the page is offline (its requests would only fail, each a console
// error): the document shown is linted once the browser is back online.
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { getJson, postJson } from './api.js';
import { LintRunner, countFindings, lintRequest, locateFindings } from './lint.js';

export const LINT_DELAY_MS = 400;
const EMPTY = { findings: [], rules: {}, doc: null };

export function useLint({ store, view, url, enabled, catalogue }) {
  const online = useSyncExternalStore(store.subscribe, () => store.state.conn.state !== 'offline');
  const [result, setResult] = useState(EMPTY);
  const [error, setError] = useState('');
  const latest = useRef({});
  latest.current = { store, url };
  const runner = useMemo(
    () =>
      new LintRunner({
        async lint() {
          const { store: current, url: address } = latest.current;
          const doc = current.state.view;
          const request = lintRequest(current.state);
          const answer = request.method === 'GET' ? await getJson(address) : await postJson(address, request.body);
          return { findings: answer.findings || [], rules: answer.rules || {}, doc };
        },
        onResult(result) {
          setResult(result);
          setError('');
        },
        onError: (e) => setError(e.message),
      }),
    [],
  );

  useEffect(() => {
    if (!enabled || !view || !online) return undefined;
    const timer = setTimeout(() => runner.request(), LINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [runner, view, url, enabled, online]);

  useEffect(() => () => runner.cancel(), [runner]);

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
