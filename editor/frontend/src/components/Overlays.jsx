import { useState } from 'react';

export function HelpOverlay({ onClose }) {
  const keys = [
    ['Delete / Backspace', 'Delete the selection'],
    ['Ctrl/⌘ + Z', 'Undo'],
    ['Shift + Ctrl/⌘ + Z, Ctrl + Y', 'Redo'],
    ['Ctrl/⌘ + C, Ctrl/⌘ + V', 'Copy and paste widgets (works across flows and tabs)'],
    ['Ctrl/⌘ + X', 'Cut the selection (copy, then delete)'],
    ['Ctrl/⌘ + A', 'Select every widget'],
    ['Ctrl/⌘ + D', 'Duplicate the selection'],
    ['Ctrl/⌘ + F', 'Find a widget by name or text'],
    ['Enter on a library widget', 'Add it (as a double-click or a drop does)'],
    ['Arrow keys (Shift: 4×)', 'Move the selected widgets'],
    ['Shift + drag', 'Box-select'],
    ['Shift/Ctrl + click', 'Add to the selection'],
    ['Drag the background', 'Pan; scroll wheel zooms'],
    ['?', 'This help'],
    ['Esc', 'Close an overlay, else clear the selection'],
  ];
  return (
    <div className="cv-overlay" onClick={onClose} data-testid="help-overlay">
      <div className="cv-dialog" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <dl className="cv-keys">
          {keys.map(([k, v]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="cv-button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

export function FindOverlay({ states, onFound, onClose }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const q = query.trim().toLowerCase();
  // Widgets whose name matches come first, then those with the text in a property.
  const byName = q ? states.filter((s) => s.name.toLowerCase().includes(q)) : [];
  const byText = q
    ? states.filter((s) => !s.name.toLowerCase().includes(q) && JSON.stringify(s.properties || {}).toLowerCase().includes(q))
    : [];
  const matches = [...byName, ...byText].slice(0, 20);
  function onKeyDown(e) {
    if (e.key === 'Escape') onClose();
    if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, matches.length - 1));
    if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
    if (e.key === 'Enter' && matches[active]) onFound(matches[active].name);
  }
  return (
    <div className="cv-find" data-testid="find-overlay">
      <input
        autoFocus
        placeholder="Find a widget by name or text"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="find-input"
      />
      <ul>
        {matches.map((s, i) => (
          <li key={s.name} className={i === active ? 'is-active' : ''} onMouseDown={() => onFound(s.name)}>
            {s.name} <span className="cv-muted">{s.type}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
