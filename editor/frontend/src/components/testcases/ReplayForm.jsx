// Replay an execution (a test run or a real one) against the current draft: its recorded
// inputs and responses are run again, and where the new run leaves the recorded one is
// shown here and outlined on the canvas (docs/testcases.md, "Replay").
import { useEffect, useRef, useState } from 'react';
import { postJson } from '../../api.js';
import CaseResult from './CaseResult.jsx';
import { replayInUrl } from './overlay.js';

export default function ReplayForm({ url, onResult, onJump }) {
  const [linked] = useState(replayInUrl);
  const [sid, setSid] = useState(linked || '');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function replay(e, chosen = sid) {
    if (e) e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await postJson(url, { execution_sid: chosen.trim() });
      const shown = { ...answer, failure: answer.diverged };
      setResult(shown);
      onResult(shown);
      if (answer.diverged && answer.diverged.widget) onJump(answer.diverged.widget);
    } catch (err) {
      setError(err.message);
    } finally {
      setBusy(false);
    }
  }
  // Opened from an execution's "Replay on draft": replay it once, straight away.
  const started = useRef(false);
  useEffect(() => {
    if (linked && !started.current) {
      started.current = true;
      replay(null, linked);
    }
  });
  return (
    <details className="tc-replay" data-testid="replay" open={Boolean(linked) || undefined}>
      <summary>Replay an execution on the draft</summary>
      <form onSubmit={replay} className="cv-row">
        <input value={sid} onChange={(e) => setSid(e.target.value)} placeholder="FN…" aria-label="Execution SID" data-testid="replay-sid" />
        <button type="submit" className="cv-button" disabled={busy || !sid.trim()} data-testid="replay-run">
          Replay
        </button>
      </form>
      {error ? <p className="tc-failure">{error}</p> : null}
      {result ? (
        <div data-testid="replay-result" data-diverged={result.diverged ? result.diverged.widget || 'yes' : ''}>
          <p className="cv-small">
            {result.diverged ? 'The draft now runs differently.' : 'The draft runs this execution the same way.'} Recorded path:{' '}
            {result.recorded_path.join(' → ') || '—'}
          </p>
          <CaseResult result={result} onJump={onJump} />
        </div>
      ) : null}
    </details>
  );
}
