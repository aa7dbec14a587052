import { memo, useContext } from 'react';
import { Handle, Position, useStore } from '@xyflow/react';
import Icon from './Icon.jsx';
import { CanvasContext } from '../context.js';
import { transitionLabel, widgetDef } from '../catalogue.js';
import { nameWords, plural } from '../text.js';
import { SEVERITIES, worstOf } from '../lint.js';
import { STATUS_LABELS, widgetClass } from '../compare/model.js';
import DebuggerDot, { useDebugMenu } from './test/DebuggerDot.jsx';

export const SLOT = 104; // width per transition handle
export const MIN_WIDTH = 220;
export const NODE_HEIGHT = 84; // fixed in canvas.css (.widget height)
const COMPACT_ZOOM = 0.4;
const compactSelector = (s) => s.transform[2] < COMPACT_ZOOM;

export function nodeWidth(state) {
  return Math.max(MIN_WIDTH, (state.transitions || []).length * SLOT);
}

function Outputs({ state, def, conditionLabels, compact, focusHandle }) {
  const transitions = state.transitions || [];
  return (
    <div className="w-outputs">
      {transitions.map((t, index) => (
        <div className={`w-out${t.next ? ' is-wired' : ''}${focusHandle === index ? ' is-focused' : ''}`} key={index} title={transitionLabel(t, def, conditionLabels)}>
          {compact ? null : <span className="w-out-label">{transitionLabel(t, def, conditionLabels)}</span>}
          <Handle
            type="source"
            id={String(index)}
            position={Position.Bottom}
            className="w-handle-out"
            data-testid={`handle-${state.name}-${index}`}
          />
        </div>
      ))}
    </div>
  );
}

/** Who else has this widget selected (outlined in the first one's colour) or types in it. */
function Presence({ name, marks }) {
  const people = [...new Map(marks.map((m) => [m.user.id, m])).values()];
  const typing = people.filter((m) => m.typing);
  return (
    <div className="w-presence" data-testid={`presence-${name}`}>
      {people.map((m) => (
        <span key={m.user.id} className="w-presence-tag" style={{ background: m.user.colour }} title={m.user.name} data-testid={`presence-${name}-${m.user.name}`}>
          {m.user.name}
        </span>
      ))}
      {typing.length ? (
        <span className="w-typing" data-testid={`typing-on-${name}`}>
          {typing.map((m) => m.user.name).join(', ')} {typing.length > 1 ? 'are' : 'is'} typing…
        </span>
      ) : null}
    </div>
  );
}

/** The linter's findings on this widget: a count per severity, coloured by the worst. */
function LintBadge({ name, counts }) {
  const worst = worstOf(counts);
  if (!worst) return null;
  const title = SEVERITIES.filter((s) => counts[s]).map((s) => plural(counts[s], s === 'info' ? 'note' : s)).join(', ');
  return (
    <span className={`w-lint w-lint-${worst}`} data-testid={`lint-badge-${name}`} data-severity={worst} title={`Linter: ${title}`}>
      {SEVERITIES.filter((s) => counts[s]).map((s) => (
        <span key={s} className={`w-lint-${s}-count`} data-testid={`lint-${s}-${name}`}>
          {LINT_MARKS[s]}
          {counts[s]}
        </span>
      ))}
    </span>
  );
}

/**
 * The name; at a far zoom, where it may take two lines, with a line break allowed only
 * between its words (text.js nameWords). Chrome breaks at a <wbr> even under nowrap, so the
 * one-line name of the usual zoom has none.
 */
function Name({ name, compact }) {
  if (!compact) return name;
  return nameWords(name).map((word, i) => (
    <span key={i}>
      {i ? <wbr /> : null}
      {word}
    </span>
  ));
}

const LINT_MARKS = { error: '✖', warning: '▲', info: 'ℹ' };

function WidgetNode({ data, selected }) {
  const { catalogue } = useContext(CanvasContext);
  const compact = useStore(compactSelector);
  const { state, problems, run, marks, lint, focusHandle } = data;
  const def = widgetDef(catalogue, state.type);
  const onContextMenu = useDebugMenu(state.name);
  const classes = ['widget', `w-group-${state.type === 'trigger' ? 'trigger' : def.group}`];
  if (selected) classes.push('is-selected');
  if (problems.errors) classes.push('has-problems');
  else if (problems.warnings) classes.push('has-warnings');
  if (compact) classes.push('is-compact');
  if (run && run.classes) classes.push(run.classes);
  if (data.compare) classes.push(widgetClass(data.compare));
  const style = { width: nodeWidth(state) };
  if (marks && marks.length) {
    classes.push('has-presence');
    style['--presence'] = marks[0].user.colour;
  }
  return (
    <div className={classes.join(' ')} style={style} data-testid={`widget-${state.name}`} onContextMenu={onContextMenu}>
      <DebuggerDot name={state.name} isTrigger={state.type === 'trigger'} />
      {marks && marks.length ? <Presence name={state.name} marks={marks} /> : null}
      {data.compare ? (
        <div className={`w-cmp-badge cmp-status-${data.compare.status}`} data-testid={`compare-badge-${state.name}`}>
          {STATUS_LABELS[data.compare.status]}
        </div>
      ) : null}
      {run && run.badge ? (
        <div className="w-run-badge" data-testid={`run-badge-${state.name}`}>
          {run.badge}
        </div>
      ) : null}
      {state.type === 'trigger' ? null : (
        <Handle type="target" id="in" position={Position.Top} className="w-handle-in" />
      )}
      <div className="w-head">
        <Icon group={def.group} type={state.type} />
        <div className="w-titles">
          <div className="w-name" title={state.name} data-testid={`name-${state.name}`}>
            <Name name={state.name} compact={compact} />
          </div>
          {compact ? null : <div className="w-type">{def.label}</div>}
        </div>
        {problems.errors ? (
          <span className="w-badge" data-testid={`widget-problems-${state.name}`} title={plural(problems.errors, 'error')}>
            {problems.errors}
          </span>
        ) : null}
        {problems.warnings ? (
          <span className="w-badge w-badge-warning" data-testid={`widget-warnings-${state.name}`} title={plural(problems.warnings, 'warning')}>
            {problems.warnings}
          </span>
        ) : null}
        <LintBadge name={state.name} counts={lint} />
      </div>
      <Outputs state={state} def={def} conditionLabels={catalogue.conditionLabels} compact={compact} focusHandle={focusHandle} />
    </div>
  );
}

export default memo(WidgetNode);
