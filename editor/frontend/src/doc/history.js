// Undo and redo of this page's own edits (docs/protocol.md, "Undo"), and what is said when
// part of an edit did not survive. Each own edit keeps its inverse, computed on the document
// it goes out on (the one the server applies it to); undo sends the inverse as a new edit. Others' changes are never undone:
// before an undo is sent it is rebased (rebase.js) onto every change applied since the edit
// it undoes, and what someone else changed since is left alone and said ("Can't undo the
// change to X: carol changed it since"). The log of applied changes serves that check.

import { EditRefused, applyWhatApplies, inverseOps } from '../ops.js';
import { Since, conflicts, narrowed, rebase, touched, valueAt } from './rebase.js';
import { droppedLines, lostDraftLine } from './notices.js';

/** An entry's inverse: its runs' inverses, the last run's first. */
export const inverseOf = (entry) => entry.parts.slice().reverse().flat();

const HISTORY = 200; // undo steps kept
const LOG_SIZE = 2000; // changes remembered for the check above

export class History {
  constructor(sync) {
    this.sync = sync;
    // entries {ops, parts (the inverse of each frame's run of ops: chunks.js), version (of
    // their last application)}
    this.undoStack = [];
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

  /** A new own edit, sent in `runs` (chunks.js): each run's inverse on the view it goes on. */
  record(ops, inverse, runs, view) {
    let doc = view;
    const parts = runs.length === 1 ? [inverse] : runs.map((run) => {
      const part = inverseOps(doc, run);
      doc = applyWhatApplies(doc, run).doc;
      return part;
    });
    const entry = { ops, parts, version: null };
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

  /**
   * An own edit goes out on `doc` (the confirmed document, which the server applies it on):
   * its inverse is taken there, not on the screen it was made on. The two differ when the
   * document was fetched again meanwhile (a revision restored, a REST update): the undo must
   * put back what the restore left, not what was on screen before it.
   */
  sending(item, doc) {
    if (item.kind !== 'edit' || !item.entry || item.part === undefined) return;
    try {
      item.entry.parts[item.part] = inverseOps(doc, item.ops);
    } catch (error) {
      if (!(error instanceof EditRefused)) throw error; // pump dropped what fails: not met
    }
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
    this.replay(entry, inverseOf(entry), 'undo');
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
      item.entry.parts = item.entry.parts.map((part) => part.map((op) => narrowed(op, fields)).filter(Boolean));
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

  /**
   * A field's unsaved typing was replaced by a change from outside (drafts.js DraftLost):
   * when the last change to the field is someone else's (or replaced the whole flow), theirs
   * won, and the user is told so with what they had typed (their own undo says nothing).
   */
  draftLost(widget, key, typed) {
    const path = `${widget}/properties/${key}`;
    const last = [...this.entries].reverse().find((e) => !e.ops || e.ops.some((op) => touched(op).some((t) => conflicts(t, path))));
    if (!last || last.mine) return;
    const who = last.author ? last.author.name : null;
    this.sync.notify(lostDraftLine(path, who, last.ops ? valueAt(this.sync.state.view, path) : undefined, typed), 'warn');
  }

  /** Operations that no longer apply where they are sent (their widget went meanwhile). */
  failed(item, failed) {
    const lines = this.failedLines(failed, item.kind !== 'edit');
    if (lines.length) this.sync.notify(lines.join('\n'), 'warn');
  }
}
