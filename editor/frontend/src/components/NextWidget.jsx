// Where a transition leads, chosen from a list of the flow's widgets, as in Studio's
// Transitions tab: how to connect to a widget far off-screen in a large flow without
// dragging across it. Saved as the same `connect` edit a drag makes (one undo step).

const byName = (a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

export default function NextWidget({ state, index, states, label, disabled, onConnect }) {
  const next = state.transitions[index].next || '';
  const names = states.filter((s) => s.type !== 'trigger').map((s) => s.name);
  // A transition left pointing at a widget that is gone (an import) still says where.
  if (next && !names.includes(next)) names.push(next);
  names.sort(byName);
  return (
    <select
      className="cv-next"
      value={next}
      disabled={disabled}
      aria-label={`Next widget after ${label}`}
      data-testid={`next-${index}`}
      onChange={(e) => onConnect(index, e.target.value || null)}
    >
      <option value="">Not connected</option>
      {names.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}
