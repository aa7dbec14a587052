// Where a linter finding points in the inspector (lint.js's parseField): the property's
// input (an item's value in a key/value list), or the transition's row. It is scrolled to,
// focused when it is an input, and flashed.
const FLASH_MS = 1600;

function targetOf(root, where) {
  if (where.property) {
    const field = root.querySelector(`[data-field="${CSS.escape(where.property)}"]`);
    if (!field) return null;
    if (where.item !== undefined) {
      const rows = field.querySelectorAll('.cv-kv-row');
      const row = rows[where.item];
      if (row) return row.querySelectorAll('input, textarea')[1] || row.querySelector('input, textarea') || row;
    }
    return field.querySelector('input, textarea, select') || field;
  }
  if (where.transition !== undefined) return root.querySelector(`[data-transition-index="${where.transition}"]`);
  if (where.event) {
    return root.querySelector(`[data-event="${CSS.escape(where.event)}"]`) || root.querySelector('[data-testid="conditions"]');
  }
  return null;
}

export function focusFinding(root, where) {
  const target = where && targetOf(root, where);
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  if (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) target.focus({ preventScroll: true });
  else if (where.transition !== undefined) {
    // A split condition: its value (the field such findings are about, or next to it).
    const input = target.querySelector('[data-testid^="condition-value"], input, textarea');
    if (input) input.focus({ preventScroll: true });
  }
  const flashed = target.closest('.cv-field, .cv-condition, li') || target;
  flashed.classList.add('is-flashed');
  setTimeout(() => flashed.classList.remove('is-flashed'), FLASH_MS);
}
