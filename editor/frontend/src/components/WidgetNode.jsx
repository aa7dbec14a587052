import { memo, useContext } from 'react';
import { Handle, Position, useStore } from '@xyflow/react';
import Icon from './Icon.jsx';
import { CanvasContext } from '../context.js';
import { transitionLabel, widgetDef } from '../catalogue.js';
import { plural } from '../text.js';
import DebuggerDot, { useDebugMenu } from './test/DebuggerDot.jsx';

export const SLOT = 104; // width per transition handle
export const MIN_WIDTH = 220;
export const NODE_HEIGHT = 84; // fixed in canvas.css (.widget height)
const COMPACT_ZOOM = 0.4;
const compactSelector = (s) => s.transform[2] < COMPACT_ZOOM;

export function nodeWidth(state) {
  return Math.max(MIN_WIDTH, (state.transitions || []).length * SLOT);
}

function Outputs({ state, def, conditionLabels, compact }) {
  const transitions = state.transitions || [];
  return (
    <div className="w-outputs">
      {transitions.map((t, index) => (
        <div className={`w-out${t.next ? ' is-wired' : ''}`} key={index} title={transitionLabel(t, def, conditionLabels)}>
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

function WidgetNode({ data, selected }) {
  const { catalogue } = useContext(CanvasContext);
  const compact = useStore(compactSelector);
  const { state, problems, run, marks } = data;
  const def = widgetDef(catalogue, state.type);
  const onContextMenu = useDebugMenu(state.name);
  const classes = ['widget', `w-group-${state.type === 'trigger' ? 'trigger' : def.group}`];
  if (selected) classes.push('is-selected');
  if (problems.errors) classes.push('has-problems');
  else if (problems.warnings) classes.push('has-warnings');
  if (compact) classes.push('is-compact');
  if (run && run.classes) classes.push(run.classes);
  const style = { width: nodeWidth(state) };
  if (marks && marks.length) {
    classes.push('has-presence');
    style['--presence'] = marks[0].user.colour;
  }
  return (
    <div className={classes.join(' ')} style={style} data-testid={`widget-${state.name}`} onContextMenu={onContextMenu}>
      <DebuggerDot name={state.name} isTrigger={state.type === 'trigger'} />
      {marks && marks.length ? <Presence name={state.name} marks={marks} /> : null}
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
          <div className="w-name">{state.name}</div>
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
      </div>
      <Outputs state={state} def={def} conditionLabels={catalogue.conditionLabels} compact={compact} />
    </div>
  );
}

export default memo(WidgetNode);
