// Words for counts and sizes, so no message says "1 changes" or "problem(s)".

/** `plural(1, 'change')` → "1 change"; `plural(2, 'change')` → "2 changes". */
export const plural = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The verb that agrees with `count`: `agree(1, 'is', 'are')` → "is". */
export const agree = (count, one, many) => (count === 1 ? one : many);

const MB = 1024 * 1024;

/** 5452595 → "5.2 MB", 1048576 → "1 MB" (binary megabytes, as the server counts). */
export function megabytes(bytes) {
  const value = bytes / MB;
  const text = value >= 10 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} MB`;
}

export const utf8Length = (text) => new TextEncoder().encode(text).length;

/**
 * A widget name cut where a line may break: after `_`, `-` or `.`, and between a lower-case
 * letter or digit and the capital that starts the next word. `send_reply_2` → ["send_",
 * "reply_", "2"]; `AskForZip` → ["Ask", "For", "Zip"]. The canvas puts a <wbr> between the
 * pieces, so a long name wraps between its words and never inside one.
 */
export function nameWords(name) {
  return String(name).split(/(?<=[_\-.])|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean);
}
