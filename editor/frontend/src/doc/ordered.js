// Applying the server's changes and this page's acks strictly in version order
// (docs/protocol.md, "Catching up"): a change or an ack is held back until the one before it
// is in, and a gap that stays open is asked for with `doc.sync`. A change from someone else
// goes on the confirmed document; the edits not yet sent are rebased onto it here, with the
// server's rules (rebase.js), and whatever they lose is said at once. DocSync (sync.js)
// extends this with the socket, the sending and the local edits.

import { applyWhatApplies } from '../ops.js';
import { Since, rebase, valueAt } from './rebase.js';
import { deletedLine } from './notices.js';

const GAP_WAIT = 1000; // ms a hole in the versions may stay open before asking for them

/** JSON with sorted keys: the same operations compare equal whatever their key order. */
export function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
    return change.ops && canonical(change.ops) === canonical(item.ops) ? item : null;
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
      this.reload();
      return false;
    }
    const confirmed = applyWhatApplies(this.state.confirmed, frame.ops).doc;
    this.history.log(frame.version, frame.author, frame.ops, false);
    const since = new Since();
    since.add(frame.ops, frame.author ? frame.author.name : null);
    for (const item of this.items) {
      const { kept, dropped } = rebase(item.shown, since);
      item.shown = kept;
      if (item === this.inflight) continue; // the server rebases it too; its ack says what went
      item.ops = kept;
      this.report(item, dropped.map((d) => ({ ...d, value: valueAt(confirmed, d.field) })));
    }
    this.items = this.items.filter((i) => i === this.inflight || i.ops.length);
    const meta = { ...this.state.meta, version: frame.version, unsaved_changes: true, unpublished_changes: true };
    const selection = followRenames(this.state.selection, frame.ops);
    const gone = this.state.selection.filter((name) => !followRenames([name], frame.ops).length);
    const typing = this.state.typing;
    this.store.update({ confirmed, version: frame.version, problems: frame.problems, meta, selection });
    if (gone.length) this.notify(deletedLine(gone, frame.author, typing), 'warn');
    return true;
  }

  applyAck(frame, item) {
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
