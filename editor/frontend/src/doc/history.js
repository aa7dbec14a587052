// Undo and redo of this page's own edits (docs/protocol.md, "Undo"), and what is said when
// part of an edit did not survive. Each own edit keeps its inverse, computed on the document
// it was made on; undo sends the inverse as a new edit. Others' changes are never undone:
// before an undo is sent it is rebased (rebase.js) onto every change applied since the edit
// it undoes, and what someone else changed since is left alone and said ("Can't undo the
// change to X: carol changed it since"). The log of applied changes serves that check.

import { applyWhatApplies } from '../ops.js';
import { Since, narrowed, rebase, touched, valueAt } from './rebase.js';
import { droppedLines } from './notices.js';

const HISTORY = 200; // undo steps kept
const LOG_SIZE = 2000; // changes remembered for the check above

export class History {
  constructor(sync) {
    this.sync = sync;
    this.undoStack = []; // entries {ops, inverse, version (of their last application)}
    this.redoStack = [];
    this.entries = []; // applied changes, in order: {version, author, ops (null: replaced), mine}
    this.last = { undo: 0, redo: 0 };
  }

  counts() {
    const undo = this.undoStack.length;
    const redo = this.redoStack.length;
    if (undo !== this.last.undo || redo !== this.last.redo) this.last = { undo, redo };
    return this.last;
  }

  record(ops, inverse) {
    const entry = { ops, inverse, version: null };
    this.undoStack = [...this.undoStack, entry].slice(-HISTORY);
    this.redoStack = [];
    return entry;
  }

  clear() {
    this.undoStack = [];
    this.redoStack = [];
  }

  log(version, author, ops, mine) {
    this.entries.push({ version, author, ops, mine });
    if (this.entries.length > LOG_SIZE) this.entries.splice(0, this.entries.length - LOG_SIZE);
  }

  /** The document was fetched again (its changes unknown): as if all of it changed. */
  replaced(version) {
    this.log(version, null, null, false);
  }

  applied(item, version) {
    if (item.entry) item.entry.version = version;
  }

  /** What changed after `version`, others' changes conflicting, our own only followed. */
  since(version) {
    const since = new Since({ incoming: true });
    for (const e of this.entries) {
      if (e.version > version) since.add(e.ops, e.author ? e.author.name : null, { conflicting: !e.mine });
    }
    return since;
  }

  undo() {
    const entry = this.undoStack.pop();
    if (!entry) return;
    this.redoStack.push(entry);
    this.replay(entry, entry.inverse, 'undo');
  }

  redo() {
    const entry = this.redoStack.pop();
    if (!entry) return;
    this.undoStack.push(entry);
    this.replay(entry, entry.ops, 'redo');
  }

  replay(entry, ops, kind) {
    const view = this.sync.state.view;
    let kept = ops;
    let dropped = [];
    if (entry.version !== null) {
      ({ kept, dropped } = rebase(ops, this.since(entry.version)));
      dropped = dropped.map((d) => ({ ...d, value: valueAt(view, d.field) }));
    }
    const { failed } = applyWhatApplies(view, kept);
    kept = kept.filter((_, i) => !failed.some((f) => f.index === i));
    const lines = [...droppedLines(dropped, { undoing: true }), ...this.failedLines(failed, true)];
    if (lines.length) this.sync.notify(lines.join('\n'), 'warn');
    if (!kept.length || !this.sync.edit(kept, { kind, entry, record: false })) this.sync.publish();
  }

  /** Part of an edit was dropped (by the server, or here before sending): said, and not undone later. */
  dropped(item, dropped) {
    const me = this.sync.state.me;
    // An edit sent again after a lost connection may meet itself: that is no conflict.
    const shown = item.resend && me ? dropped.filter((d) => d.by !== me.user.name) : dropped;
    const undoing = item.kind !== 'edit';
    if (item.entry && !undoing) {
      // Only the parts lost: the rest of a multi-selection's move is still undone.
      const fields = dropped.map((d) => d.field);
      item.entry.inverse = item.entry.inverse.map((op) => narrowed(op, fields)).filter(Boolean);
    }
    const lines = droppedLines(shown, { undoing });
    if (lines.length) this.sync.notify(lines.join('\n'), 'warn');
  }

  failedLines(failed, undoing) {
    return failed.map((f) => {
      const what = touched(f.op)[0] || 'the flow';
      return droppedLines([{ field: what, reason: f.reason, value: null }], { undoing })[0];
    });
  }

  /** Operations that no longer apply where they are sent (their widget went meanwhile). */
  failed(item, failed) {
    const lines = this.failedLines(failed, item.kind !== 'edit');
    if (lines.length) this.sync.notify(lines.join('\n'), 'warn');
  }
}
