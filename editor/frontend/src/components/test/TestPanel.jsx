// The Test panel beside the canvas: start a run, talk to it as the contact (chat or call),
// follow its steps and context, and set the flow's mocks. The live state is useTestRun's.
import { useEffect, useMemo, useRef, useState } from 'react';
import TriggerForm from './TriggerForm.jsx';
import ChatSimulator from './ChatSimulator.jsx';
import CallSimulator from './CallSimulator.jsx';
import StepList, { useReplay } from './StepList.jsx';
import ContextInspector from './ContextInspector.jsx';
import MocksEditor from './MocksEditor.jsx';
import Resizer from './Resizer.jsx';
import DebuggerBar from './DebuggerBar.jsx';
import DebuggerPanel from './DebuggerPanel.jsx';
import { stepsOf } from '../../live/transcript.js';
import { executionInUrl } from '../../live/storage.js';
import SaveRunAsCase from '../testcases/SaveRunAsCase.jsx';

const CONNECTION = { idle: 'Not connected', connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline', closed: 'Disconnected' };
const TRIGGER_NAMES = { message: 'Message', call: 'Call', conversation: 'Conversation', request: 'REST API', parent: 'Subflow' };

function ErrorNote({ error, onClose }) {
  if (!error) return null;
  return (
    <div className="cv-banner cv-banner-danger tp-error" role="alert" data-testid="test-error" data-code={error.code}>
      <span>
        <strong>{error.code}</strong>: {error.message}
      </span>
      <button type="button" className="cv-icon-button" onClick={onClose} aria-label="Dismiss the error">
        ×
      </button>
    </div>
  );
}

function RunHeader({ run, onEnd, onForget, disabled, canEdit }) {
  const x = run.execution;
  if (!x) return <p className="cv-muted tp-pad">Loading execution {run.sid}…</p>;
  const active = x.status === 'active';
  return (
    <div className="tp-run-head" data-testid="run-head" data-status={x.status} data-execution={x.sid}>
      <div>
        <span className={`cv-chip${active ? ' tp-live' : ''}`} data-testid="run-status">
          {active ? 'Active' : `Ended · ${x.ended_reason || ''}`}
        </span>{' '}
        <strong>{TRIGGER_NAMES[x.trigger] || x.trigger}</strong>{' '}
        <span className="cv-muted cv-small">
          <span className="tp-addr">{x.contact}</span> → <span className="tp-addr">{x.flow_address}</span> · revision {x.revision}
          {x.origin && x.origin !== 'test' ? ` · ${x.origin} run` : ''}
        </span>
        <div className="sid cv-small cv-muted">{x.sid}</div>
        {!active && x.ended_detail ? <div className="cv-small cv-muted">{x.ended_detail}</div> : null}
      </div>
      <div className="cv-row">
        {active && x.origin === 'test' ? (
          <button type="button" className="cv-button cv-button-small" onClick={onEnd} disabled={disabled} data-testid="run-end">
            End run
          </button>
        ) : null}
        {canEdit && !active ? <SaveRunAsCase flowSid={x.flow_sid} execution={x} /> : null}
        <button type="button" className="cv-link cv-small" onClick={onForget} data-testid="run-forget">
          Clear
        </button>
      </div>
    </div>
  );
}

const TAB_IDS = ['run', 'steps', 'context', 'mocks', 'debug'];

/** The run's tabs, as the ARIA tabs pattern has them: the chosen tab alone is in the Tab
 * order, and the arrow keys, Home and End move between them. */
function Tabs({ tab, setTab, counts }) {
  const labels = {
    run: 'Run',
    steps: `Steps${counts.steps ? ` (${counts.steps})` : ''}`,
    context: 'Context',
    mocks: `Mocks${counts.mocks ? ` (${counts.mocks})` : ''}`,
    debug: `Debug${counts.breakpoints ? ` (${counts.breakpoints})` : ''}`,
  };
  function onKeyDown(e) {
    const at = TAB_IDS.indexOf(tab);
    const moves = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: TAB_IDS.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = TAB_IDS[(moves[e.key] + TAB_IDS.length) % TAB_IDS.length];
    setTab(next);
    document.getElementById(`tp-tab-${next}`)?.focus();
  }
  return (
    <div className="tp-tabs" role="tablist" aria-label="Test run" onKeyDown={onKeyDown}>
      {TAB_IDS.map((id) => (
        <button
          type="button"
          role="tab"
          key={id}
          id={`tp-tab-${id}`}
          aria-selected={tab === id}
          aria-controls="tp-tab-body"
          tabIndex={tab === id ? 0 : -1}
          className={`cv-tab${tab === id ? ' is-active' : ''}`}
          onClick={() => setTab(id)}
          data-testid={`test-tab-${id}`}
        >
          {labels[id]}
        </button>
      ))}
    </div>
  );
}

/** The first thing a tester answers a new run with: the reply box, the keypad's digits, or
 * the first event button; the panel's heading when the run waits for nothing. */
function focusControls(root, fallback) {
  const within = root ? root.querySelector('.tp-controls') : null;
  const selectors = ['[data-testid=reply-body]', '[data-testid=call-digits]', 'button:not([disabled])'];
  const target = within && selectors.map((sel) => within.querySelector(sel)).find((el) => el && !el.disabled);
  (target || fallback)?.focus({ preventScroll: true });
}

export default function TestPanel({ test, debug, flowSid, states, catalogue, blocked, width, setWidth, onClose, onFocus }) {
  const { conn, hello, mocks, mocksNote, run, error, stepView, starting, driving, actions } = test;
  // Opened from the executions page's "Show on canvas": replay that run's path.
  const [linked] = useState(() => Boolean(run && executionInUrl() === run.sid));
  const [tab, setTab] = useState('run');
  // The panel comes after the library and every widget in the page's order: opening it puts
  // the keyboard's focus at its top, so Tab goes on through the panel.
  const heading = useRef(null);
  useEffect(() => heading.current && heading.current.focus({ preventScroll: true }), []);
  const [formOpen, setFormOpen] = useState(!run);
  const sid = run ? run.sid : null;
  const shownSid = useRef(sid);
  const panel = useRef(null);
  const startForm = useRef(null);
  const focusRun = useRef(false);
  useEffect(() => {
    if (sid === shownSid.current) return;
    shownSid.current = sid;
    // Start had the focus (it may have lost it already, turned off while starting) and is
    // about to be hidden with its form: the run's controls take it.
    const active = document.activeElement;
    const lost = !active || active === document.body || (startForm.current && startForm.current.contains(active));
    if (sid && lost) focusRun.current = true;
    setFormOpen(!sid);
    if (sid) setTab('run');
  }, [sid]);
  useEffect(() => {
    if (!focusRun.current || formOpen) return;
    focusRun.current = false;
    focusControls(panel.current, heading.current);
  }, [formOpen, sid]);

  // "Start test here" on the canvas opens the Debug tab.
  useEffect(() => {
    if (debug.tab) setTab(debug.tab.name);
  }, [debug.tab]);
  const x = run && run.execution;
  const steps = useMemo(() => (run ? stepsOf(run.entries) : []), [run]);
  const replay = useReplay(steps, onFocus, linked && sid === shownSid.current, x && x.flow_sid);
  const offline = conn.state !== 'open';
  const active = Boolean(x && x.status === 'active');
  // Only test executions take input from the panel; a real contact's run is watched.
  const drivable = active && x.origin === 'test';
  const canEdit = Boolean(hello && hello.can_edit);
  const chooseStep = (entry, host) => {
    actions.showStep(entry);
    onFocus(host || entry.from);
  };
  const stepContext = stepView ? (
    <ContextInspector
      key={stepView.entry.step}
      context={stepView.context}
      title={`After ${stepView.entry.from} —${stepView.entry.event}→ ${stepView.entry.to}`}
      onBackToLive={() => {
        actions.showStep(null);
        onFocus(null);
      }}
    />
  ) : null;
  const Simulator = x && x.trigger === 'call' ? CallSimulator : ChatSimulator;

  return (
    <aside ref={panel} className="cv-panel tp-panel" style={{ width }} data-testid="panel-test" aria-label="Test panel">
      <Resizer width={width} setWidth={setWidth} />
      <header className="cv-panel-head">
        <h2 ref={heading} tabIndex={-1} data-testid="test-heading">
          Test
        </h2>
        <span className={`cv-chip tp-conn tp-conn-${conn.state}`} title={conn.message} data-testid="test-connection" data-state={conn.state}>
          {CONNECTION[conn.state]}
          {hello ? ` · ${hello.role}` : ''}
        </span>
        {conn.state === 'closed' ? (
          <button type="button" className="cv-link cv-small" onClick={actions.reconnect}>
            Reconnect
          </button>
        ) : null}
        <button type="button" className="cv-icon-button" onClick={onClose} title="Close" aria-label="Close the test panel">
          ×
        </button>
      </header>
      {conn.message && conn.state !== 'open' ? <p className="cv-banner cv-banner-warn">{conn.message}</p> : null}
      <ErrorNote error={error} onClose={actions.dismissError} />
      <details ref={startForm} className="tp-start" open={formOpen} onToggle={(e) => setFormOpen(e.currentTarget.open)}>
        <summary data-testid="test-new-run">{run ? 'New run' : 'Start a run'}</summary>
        <TriggerForm flowSid={flowSid} states={states} catalogue={catalogue} active={active} starting={starting} saving={blocked} offline={offline} onStart={actions.start} />
      </details>
      {run ? <RunHeader run={run} onEnd={actions.end} onForget={actions.forget} disabled={offline} canEdit={canEdit} /> : null}
      <DebuggerBar debug={debug} run={run} states={states} disabled={offline || driving} onFocus={onFocus} />
      <Tabs tab={tab} setTab={setTab} counts={{ steps: steps.length, mocks: Object.keys(mocks).length, breakpoints: debug.breakpoints.size }} />
      <div className="tp-tab-body" role="tabpanel" id="tp-tab-body" aria-labelledby={`tp-tab-${tab}`}>
        {tab === 'run' ? (
          x ? (
            <>
              {active && !drivable ? (
                <p className="cv-banner cv-banner-info" data-testid="run-watch-only">
                  A real contact&apos;s execution ({x.origin}): the panel follows it but cannot answer for the contact.
                </p>
              ) : null}
              <Simulator run={run} catalogue={catalogue} actions={actions} disabled={offline || !drivable || driving} />
            </>
          ) : (
            <p className="cv-muted tp-pad">{run ? 'Loading the transcript…' : 'Start a run to talk to the flow as a contact.'}</p>
          )
        ) : null}
        {tab === 'steps' ? (
          <>
            <StepList steps={steps} entries={run ? run.entries : []} chosen={stepView && stepView.entry.step} onChoose={chooseStep} replay={replay} flowSid={x && x.flow_sid} />
            {stepContext}
          </>
        ) : null}
        {tab === 'context'
          ? stepContext || (x ? <ContextInspector context={x.context} title="Live context" /> : <p className="cv-muted tp-pad">No run yet.</p>)
          : null}
        {tab === 'debug' ? <DebuggerPanel debug={debug} states={states} onFocus={onFocus} onStart={actions.start} disabled={blocked || offline || starting} /> : null}
        {tab === 'mocks' ? <MocksEditor states={states} mocks={mocks} canEdit={canEdit} note={mocksNote} onSave={actions.setMock} onFocus={onFocus} /> : null}
      </div>
    </aside>
  );
}
