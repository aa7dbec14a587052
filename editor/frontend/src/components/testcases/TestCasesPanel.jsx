// The Tests panel: the flow's test cases with their last result, Run all / Run one, a
// case's failure highlighted on the canvas, cases written as YAML or JSON, and the
// "require passing tests to publish" setting (docs/testcases.md).
import { useCallback, useEffect, useState } from 'react';
import { deleteJson, getJson, postJson } from '../../api.js';
import CaseEditor from './CaseEditor.jsx';
import CaseResult from './CaseResult.jsx';
import ReplayForm from './ReplayForm.jsx';
import './testcases.css';

function Badge({ status }) {
  const label = { pass: 'pass', fail: 'fail' }[status] || 'not run';
  return (
    <span className={`tc-badge tc-badge-${status || 'none'}`} data-testid="case-status">
      {label}
    </span>
  );
}

function CaseRow({ item, result, canEdit, busy, onRun, onEdit, onDelete, onShow, onJump, shown }) {
  const last = item.last_result;
  const status = result ? result.status : last && last.status;
  return (
    <li className="tc-case" data-testid={`case-${item.name}`} data-status={status || 'not_run'}>
      <div className="tc-case-head">
        <Badge status={status} />
        <button type="button" className="cv-link tc-case-name" onClick={() => onShow(item)} title="Show on the canvas">
          {item.name}
        </button>
        <button type="button" className="cv-link cv-small" onClick={() => onRun(item)} disabled={busy} data-testid="case-run">
          Run
        </button>
        {canEdit ? (
          <>
            <button type="button" className="cv-link cv-small" onClick={() => onEdit(item)} data-testid="case-edit">
              Edit
            </button>
            <button type="button" className="cv-link cv-small" onClick={() => onDelete(item)} data-testid="case-delete">
              Delete
            </button>
          </>
        ) : null}
      </div>
      {result && shown ? (
        <CaseResult result={result} onJump={onJump} />
      ) : !result && last && last.status === 'fail' ? (
        <p className="tc-failure">
          {last.widget ? `${last.widget}: ` : ''}
          {last.message}
        </p>
      ) : null}
    </li>
  );
}

export default function TestCasesPanel({ urls, notify, onJump, onResult }) {
  const [data, setData] = useState(null);
  const [results, setResults] = useState({});
  const [shown, setShown] = useState(null);
  const [editing, setEditing] = useState(null); // null | 'new' | a case
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => getJson(urls.tests).then(setData), [urls]);
  useEffect(() => {
    load();
    return () => onResult(null);
  }, [load, onResult]);

  const show = useCallback(
    (id, result) => {
      setShown(id);
      onResult(result || null);
      if (result && result.failure && result.failure.widget) onJump(result.failure.widget);
    },
    [onJump, onResult],
  );

  async function run(ids) {
    setBusy(true);
    try {
      const answer = await postJson(urls.testsRun, ids ? { ids } : {});
      const next = { ...results };
      answer.results.forEach((r) => {
        next[r.id] = r;
      });
      setResults(next);
      const failing = answer.results.find((r) => r.status !== 'pass');
      show(failing ? failing.id : answer.results[0] && answer.results[0].id, failing || answer.results[0]);
      notify(`${answer.passed} passed, ${answer.failed} failed`, answer.failed ? 'error' : undefined);
      load();
    } catch (e) {
      notify(e.message, 'error');
    } finally {
      setBusy(false);
    }
  }

  async function remove(item) {
    if (!window.confirm(`Delete the test case "${item.name}"?`)) return;
    try {
      await deleteJson(urls.test(item.id));
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  async function setPolicy(value) {
    try {
      await postJson(urls.testsPolicy, { require_passing: value });
      load();
    } catch (e) {
      notify(e.message, 'error');
    }
  }

  if (!data) return <div className="cv-panel-body cv-muted">Loading…</div>;
  if (editing) {
    const isNew = editing === 'new';
    return (
      <div className="cv-panel-body" data-testid="tests-panel">
        <CaseEditor
          url={isNew ? urls.tests : urls.test(editing.id)}
          initial={isNew ? null : editing.source}
          onCancel={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notify(`Saved "${saved.name}".`);
            load();
          }}
        />
      </div>
    );
  }
  return (
    <div className="cv-panel-body" data-testid="tests-panel">
      <div className="tc-toolbar">
        <button type="button" className="cv-button cv-button-primary" onClick={() => run(null)} disabled={busy || !data.cases.length} data-testid="tests-run-all">
          {busy ? 'Running…' : 'Run all'}
        </button>
        {data.can_edit ? (
          <button type="button" className="cv-button" onClick={() => setEditing('new')} data-testid="tests-new">
            New case
          </button>
        ) : null}
      </div>
      {data.cases.length ? null : (
        <p className="cv-muted" data-testid="tests-empty">
          No test cases yet. Write one, or save a run from the Test panel.
        </p>
      )}
      <ul className="tc-list">
        {data.cases.map((item) => (
          <CaseRow
            key={item.id}
            item={item}
            result={results[item.id]}
            shown={shown === item.id}
            canEdit={data.can_edit}
            busy={busy}
            onRun={(c) => run([c.id])}
            onEdit={setEditing}
            onDelete={remove}
            onShow={(c) => show(c.id, results[c.id])}
            onJump={onJump}
          />
        ))}
      </ul>
      <label className="cv-check">
        <input
          type="checkbox"
          checked={data.require_passing}
          disabled={!data.can_edit}
          onChange={(e) => setPolicy(e.target.checked)}
          data-testid="tests-require-passing"
        />{' '}
        Require passing tests to publish
      </label>
      <ReplayForm url={urls.replay} onResult={onResult} onJump={onJump} />
      <p className="cv-small cv-muted">
        Cases run on the draft as the canvas shows it. Format: docs/testcases.md.
      </p>
    </div>
  );
}
