import { useEffect, useRef, useState } from 'react';

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
  // A modal: the keyboard goes to its Close button and stays in it (Tab has nowhere else to
  // go), and comes back to where it was when it closes.
  const close = useRef(null);
  useEffect(() => {
    const before = document.activeElement;
    if (close.current) close.current.focus();
    return () => {
      const here = document.activeElement;
      if (before && before.isConnected && (!here || here === document.body)) before.focus();
    };
  }, []);
  return (
    <div className="cv-overlay" onClick={onClose} data-testid="help-overlay">
      <div
        className="cv-dialog"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === 'Tab' && e.preventDefault()}
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
      >
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
        <button type="button" className="cv-button" onClick={onClose} ref={close} data-testid="help-close">
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
        aria-label="Find a widget by name or text"
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls="find-matches"
        aria-activedescendant={matches[active] ? `find-match-${active}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        data-testid="find-input"
      />
      <ul id="find-matches" role="listbox" aria-label="Widgets found">
        {matches.map((s, i) => (
          <li key={s.name} id={`find-match-${i}`} role="option" aria-selected={i === active} className={i === active ? 'is-active' : ''} onMouseDown={() => onFound(s.name)}>
            {s.name} <span className="cv-muted">{s.type}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
