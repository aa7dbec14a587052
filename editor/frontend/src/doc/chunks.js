// An edit too big for one frame of the flow's socket (docs/protocol.md, "Limits": at most
// `limits.max_frame_bytes`, 64 KB, which the server answers with an error it cannot tie to
// the edit, so the edit would wait forever) goes as several doc.edit frames: its operations
// in order, in runs that each fit (a paste of 300 widgets, the undo of deleting them).

export const DEFAULT_MAX_FRAME = 64 * 1024;
const FRAME_ROOM = 512; // what the frame holds besides its operations: type, base, ref
const encoder = new TextEncoder();
const bytes = (value) => encoder.encode(JSON.stringify(value)).length;

/** `ops` in runs whose frames fit in `limit` bytes, or null when one operation alone does not. */
export function chunked(ops, limit = DEFAULT_MAX_FRAME) {
  const room = limit - FRAME_ROOM;
  if (bytes(ops) <= room) return [ops];
  const runs = [];
  let run = [];
  let used = 2; // the list's brackets
  for (const op of ops) {
    const size = bytes(op) + 1; // and its comma
    if (size + 2 > room) return null;
    if (used + size > room) {
      runs.push(run);
      run = [];
      used = 2;
    }
    run.push(op);
    used += size;
  }
  runs.push(run);
  return runs;
}
