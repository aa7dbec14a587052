/** A choice among the flow's widgets, the Trigger left out (the debugger's "run to" and "start at"). */
export default function WidgetSelect({ states, value, onChange, placeholder, label, testId }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label} data-testid={testId}>
      <option value="">{placeholder}</option>
      {states
        .filter((s) => s.type !== 'trigger')
        .map((s) => (
          <option key={s.name} value={s.name}>
            {s.name}
          </option>
        ))}
    </select>
  );
}
