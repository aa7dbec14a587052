import { useRef, useState } from 'react';
import { openExpression } from '../liquid.js';
import Words from './Words.jsx';

/** A text input or textarea that suggests variables while typing inside {{ … }}. */
/** The linter's findings about this text, under it (they follow the saves made while typing). */
function InlineFindings({ findings }) {
  return findings.map((f) => (
    <p key={f.index} className={`cv-field-lint cv-field-lint-${f.severity}`} data-testid={`liquid-lint-${f.rule}`} data-severity={f.severity} title={f.rule}>
      <Words text={f.message} />
    </p>
  ));
}

export default function LiquidInput({ value, onChange, onCommit, multiline, suggestions, findings, ...rest }) {
  const ref = useRef(null);
  const [menu, setMenu] = useState(null); // {start, items, active}

  function refresh(text, caret) {
    const open = openExpression(text, caret);
    if (!open) return setMenu(null);
    const word = open.word.toLowerCase();
    const items = suggestions.filter((s) => s.toLowerCase().startsWith(word) && s !== open.word).slice(0, 12);
    setMenu(items.length ? { start: open.start, end: caret, items, active: 0 } : null);
  }

  function choose(item) {
    const text = value.slice(0, menu.start) + item + value.slice(menu.end);
    onChange(text);
    setMenu(null);
    const caret = menu.start + item.length;
    requestAnimationFrame(() => {
      if (ref.current) {
        ref.current.focus();
        ref.current.setSelectionRange(caret, caret);
      }
    });
  }

  function onKeyDown(e) {
    if (menu) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setMenu({ ...menu, active: (menu.active + step + menu.items.length) % menu.items.length });
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(menu.items[menu.active]);
        return;
      }
      if (e.key === 'Escape') {
        setMenu(null);
        return;
      }
    }
    if (e.key === 'Enter' && !multiline) onCommit();
  }

  const Tag = multiline ? 'textarea' : 'input';
  return (
    <div className="cv-liquid">
      <Tag
        ref={ref}
        {...rest}
        value={value}
        rows={multiline ? 4 : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setTimeout(() => setMenu(null), 150);
          onCommit();
        }}
        spellCheck={false}
        aria-invalid={findings && findings.some((f) => f.severity === 'error') ? true : undefined}
      />
      {findings && findings.length ? <InlineFindings findings={findings} /> : null}
      {menu ? (
        <ul className="cv-suggest" role="listbox" data-testid="liquid-suggestions">
          {menu.items.map((item, i) => (
            <li
              key={item}
              role="option"
              aria-selected={i === menu.active}
              className={i === menu.active ? 'is-active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(item);
              }}
            >
              {item}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
