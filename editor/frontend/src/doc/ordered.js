// Applying the server's changes and this page's acks strictly in version order
// (docs/protocol.md, "Catching up"): a change or an ack is held back until the one before it
// is in, and a gap that stays open is asked for with `doc.sync`. A change from someone else
// goes on the confirmed document; the edits not yet sent are rebased onto it here, with the
// server's rules (rebase.js), and whatever they lose is said at once. DocSync (sync.js)
// extends this with the socket, the sending and the local edits.

import { applyWhatApplies } from '../ops.js';
import { Since, rebase, renamed, touched, valueAt } from './rebase.js';
import { deletedLine, renamedLine, replacedLine } from './notices.js';

const GAP_WAIT = 1000; // ms a hole in the versions may stay open before asking for them

/** JSON with sorted keys: the same operations compare equal whatever their key order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const addedNames = (ops) => ops.filter((op) => op.op === 'add_widget').map((op) => touched(op)[0]);

/** An edit's operations with the free names this page guessed the server gives its new
 * widgets (applyChange): what the server announces when it renamed them. */
function asGuessed(item) {
  const pairs = Object.entries(item.guessed || {});
  if (!pairs.length) return item.ops;
  const moved = new Since();
  moved.renames.push(...pairs);
  const fresh = new Map(pairs);
  return item.ops.map((op) => {
    const out = renamed(op, moved);
    return op.op === 'add_widget' && fresh.has(op.state.name) ? { ...out, state: { ...out.state, name: fresh.get(op.state.name) } } : out;
  });
}

/** Names in `names` under the names the operations give them. */
export function followRenames(names, ops) {
  let out = names;
  for (const op of ops || []) {
    if (op.op === 'rename_widget') out = out.map((n) => (n === op.name ? op.new_name : n));
    if (op.op === 'delete_widgets') out = out.filter((n) => !op.names.includes(n));
  }
  return out;
}

export class OrderedChanges {
  constructor() {
    this.buffer = new Map(); // version -> {kind: 'change' | 'ack', frame, item}
    this.emptyAcks = []; // acks of edits that applied nothing: {version, frame, item}
    this.gapTimer = null;
    this.aliases = {}; // renamed widget -> the name it had when first known (noteRenames)
  }

  /**
   * Widgets renamed, here or by someone else: each new name maps to the name the widget had
   * when first known, so the inspector open on it stays the same one across the rename, its
   * focus and unsaved typing kept (useWidgetActions.js inspectorKey).
   */
  noteRenames(ops) {
    for (const op of ops || []) {
      if (op.op !== 'rename_widget') continue;
      this.aliases[op.new_name] = this.aliases[op.name] || op.name;
      delete this.aliases[op.name];
    }
  }

  queue(version, entry) {
    if (version <= this.state.version) {
      if (entry.kind === 'ack') this.resolve(entry.item, entry.frame); // already in the document
      return;
    }
    const held = this.buffer.get(version);
    if (!held || (entry.kind === 'ack' && held.kind !== 'ack')) this.buffer.set(version, entry);
  }

  drain() {
    if (!this.state.loaded || this.state.reloading) return;
    for (;;) {
      const version = this.state.version;
      for (const [held, entry] of this.buffer) {
        if (held > version) continue;
        this.buffer.delete(held);
        if (entry.kind === 'ack') this.resolve(entry.item, entry.frame);
      }
      const next = this.buffer.get(version + 1);
      if (!next) break;
      this.buffer.delete(version + 1);
      const own = next.kind === 'change' && this.ownChange(next.frame);
      if (next.kind === 'ack') this.applyAck(next.frame, next.item);
      else if (own) this.applyAck({ ...next.frame, dropped: [] }, own); // its ack adds nothing
      else if (!this.applyChange(next.frame)) return; // the document is fetched again
    }
    const version = this.state.version;
    this.emptyAcks = this.emptyAcks.filter((a) => (a.version <= version ? (this.resolve(a.item, a.frame), false) : true));
    this.watchGap();
    this.publish();
    this.pump();
  }

  /** The edit in flight, if `change` is it (announced to every connection, ours too). */
  ownChange(change) {
    const item = this.inflight;
    const me = this.state.me;
    if (!item || !item.sent || !me || !change.author || change.author.id !== me.user.id) return null;
    return change.ops && canonical(change.ops) === canonical(asGuessed(item)) ? item : null;
  }

  watchGap() {
    const open = this.buffer.size > 0 || this.emptyAcks.length > 0;
    if (!open) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    } else if (!this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        if ((this.buffer.size || this.emptyAcks.length) && !this.syncRef) this.sendSync();
      }, GAP_WAIT);
    }
  }

  applyChange(frame) {
    if (frame.ops === null) {
      this.history.log(frame.version, frame.author, null, false);
      const me = this.state.me;
      if (!me || !frame.author || frame.author.id !== me.user.id) this.notify(replacedLine(frame.author, frame.source), 'info');
      this.reload();
      return false;
    }
    const confirmed = applyWhatApplies(this.state.confirmed, frame.ops).doc;
    this.history.log(frame.version, frame.author, frame.ops, false);
    const since = new Since();
    since.add(frame.ops, frame.author ? frame.author.name : null);
    // Widgets added here under a name the change took get a free one (rebase.js `own`);
    // not when it is this user's own change (another tab): the server drops those too.
    const me = this.state.me;
    const mine = Boolean(me && frame.author && frame.author.name === me.user.name);
    const taken = new Set([...confirmed.states.map((s) => s.name), ...this.items.flatMap((i) => addedNames(i.shown))]);
    const own = mine ? null : { taken, since: new Since() };
    for (const item of this.items) {
      const before = own ? own.since.renames.length : 0;
      const { kept, dropped } = rebase(item.shown, since, own);
      item.shown = kept;
      if (item === this.inflight) {
        // The server rebases it too (its ack says what went, and what it renamed).
        if (own) item.guessed = { ...item.guessed, ...Object.fromEntries(own.since.renames.slice(before)) };
        continue;
      }
      item.ops = kept;
      this.report(item, dropped.map((d) => ({ ...d, value: valueAt(confirmed, d.field) })));
    }
    this.items = this.items.filter((i) => i === this.inflight || i.ops.length);
    const meta = { ...this.state.meta, version: frame.version, unsaved_changes: true, unpublished_changes: true };
    this.noteRenames(frame.ops);
    let selection = followRenames(this.state.selection, frame.ops);
    if (own && own.since.renames.length) {
      selection = this.followOwn(own.since.renames, selection);
      this.notify(renamedLine(own.since.renames, frame.author), 'warn');
      // Both canvases put their new widget on the same free spot: ours moves off theirs.
      const names = own.since.renames.map(([, name]) => name);
      if (this.place) setTimeout(() => this.placeRenamed(names), 0);
    }
    const gone = this.state.selection.filter((name) => !followRenames([name], frame.ops).length);
    const typing = this.state.typing;
    this.store.update({ confirmed, version: frame.version, problems: frame.problems, meta, selection });
    if (gone.length) this.notify(deletedLine(gone, frame.author, typing), 'warn');
    return true;
  }

  /**
   * This page's own new widgets renamed ([old, new] pairs): the undo entries of the edits
   * not confirmed and the selection follow them (else an undo would delete the other
   * person's widget). Returns the selection.
   */
  followOwn(pairs, selection) {
    const moved = new Since();
    moved.renames.push(...pairs);
    // A redo adds the widgets again, and an undo of a delete too: under their new names.
    const follow = (op) => {
      const out = renamed(op, moved);
      return out.op === 'add_widget' && out.state ? { ...out, state: { ...out.state, name: moved.currentName(out.state.name) } } : out;
    };
    for (const item of this.items) {
      if (!item.entry) continue;
      item.entry.ops = item.entry.ops.map(follow);
      item.entry.parts = item.entry.parts.map((part) => part.map(follow));
    }
    return selection.map((name) => moved.currentName(name));
  }

  /** Moves this page's renamed new widgets off the others' (an edit of their own). */
  placeRenamed(names) {
    const view = this.state.view;
    if (!view) return;
    const mine = view.states.filter((s) => names.includes(s.name));
    const others = view.states.filter((s) => !names.includes(s.name));
    const placed = this.place(mine.map((state) => ({ op: 'add_widget', state })), others);
    const offsets = {};
    placed.forEach((op, i) => {
      const [to, from] = [op.state.properties.offset, mine[i].properties.offset];
      if (to && (!from || to.x !== from.x || to.y !== from.y)) offsets[mine[i].name] = to;
    });
    if (Object.keys(offsets).length) this.edit([{ op: 'move_widgets', offsets }], { record: false });
  }

  /** The server named a widget of this edit otherwise than this page guessed: the edits
   * queued behind it and the selection follow the server's name. */
  followAckRenames(frame, item) {
    const pairs = [];
    for (const [old, name] of Object.entries(frame.renamed || {})) {
      const guess = (item.guessed || {})[old] || old;
      if (guess !== name) pairs.push([guess, name]);
    }
    if (!pairs.length) return;
    const moved = new Since();
    moved.renames.push(...pairs);
    for (const later of this.items) {
      if (later === item) continue;
      later.ops = later.ops.map((op) => renamed(op, moved));
      later.shown = later.shown.map((op) => renamed(op, moved));
    }
    this.store.update({ selection: this.followOwn(pairs, this.state.selection) });
  }

  applyAck(frame, item) {
    this.followAckRenames(frame, item);
    const confirmed = applyWhatApplies(this.state.confirmed, frame.ops).doc;
    this.history.log(frame.version, this.state.me && this.state.me.user, frame.ops, true);
    const meta = { ...this.state.meta, version: frame.version, unsaved_changes: true, unpublished_changes: true };
    this.store.update({ confirmed, version: frame.version, meta });
    this.resolve(item, frame);
  }

  /** The edit is answered: out of the queue, what the server dropped is said. */
  resolve(item, frame) {
    if (this.inflight === item) this.inflight = null;
    if (!this.items.includes(item)) return;
    this.items = this.items.filter((i) => i !== item);
    if (frame.ops.length) this.history.applied(item, frame.version);
    this.report(item, frame.dropped || []);
    if (frame.problems) this.store.update({ problems: frame.problems });
  }

  report(item, dropped) {
    if (!dropped.length) return;
    this.history.dropped(item, dropped);
  }

}
