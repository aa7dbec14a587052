// Co-editing over the flow's websocket (docs/protocol.md, "Co-editing"). Every local edit
// shows at once and is queued; one `doc.edit` is in flight at a time, made on the version
// the canvas holds, so the server only ever rebases it onto others' changes. `doc.ack` and
// `doc.changed` are applied strictly in version order (held back until the one before is in,
// `doc.sync` when a gap stays open). A change from someone else is applied to the confirmed
// document and the edits not yet sent are rebased onto it here, with the server's rules
// (ordered.js, rebase.py); whatever they lose is said at once. Undo and redo: history.js.

import { applyWhatApplies, inverseOps, EditRefused } from '../ops.js';
import { viewOf } from './store.js';
import { History } from './history.js';
import { OrderedChanges, canonical, followRenames } from './ordered.js';
import { accessChanged } from './access.js';
import { DEFAULT_MAX_FRAME, chunked } from './chunks.js';

const RETRY_WAIT = 1000;
const RETRYABLE = new Set(['rate_limited', 'busy', 'internal']);

export class DocSync extends OrderedChanges {
  constructor({ store, socket, fetchDocument, notify, place = null }) {
    super();
    this.place = place; // placement.js placeOps: where a new widget overlaps nothing
    this.store = store;
    this.socket = socket;
    this.fetchDocument = fetchDocument;
    this.notify = notify; // (text, kind)
    this.items = []; // pending edits, oldest first; at most the first is in flight
    this.inflight = null;
    this.synced = false;
    this.syncRef = null;
    this.ids = 0;
    this.maxFrame = DEFAULT_MAX_FRAME; // the server's, from its hello
    this.refusedAt = 0; // the id of the last edit made when the refusal shown was said
    this.history = new History(this);
  }

  get state() {
    return this.store.state;
  }

  canEdit() {
    const { meta, me } = this.state;
    return Boolean(meta && meta.can_edit && (!me || me.canEdit));
  }

  /** Recomputes the view from the confirmed document and the pending edits. */
  publish(patch = {}) {
    const confirmed = patch.confirmed || this.state.confirmed;
    this.store.update({ ...patch, view: viewOf(confirmed, this.items), pending: this.items.slice(), history: this.history.counts() });
  }

  // ---- the document from HTTP (first load, reload after a replace, import, restore) ----

  adoptDocument(response) {
    const { definition, ...meta } = response;
    const loaded = this.state.loaded;
    if (loaded && response.version < this.state.version) return;
    this.publish({ loaded: true, meta, problems: response.problems || [], confirmed: definition, version: response.version, reloading: false });
    if (loaded) this.history.replaced(response.version);
    if (!this.synced && !this.syncRef) this.sendSync();
    this.drain();
  }

  async reload() {
    if (this.state.reloading) return;
    this.store.update({ reloading: true });
    try {
      this.adoptDocument(await this.fetchDocument());
    } catch (error) {
      this.store.update({ reloading: false });
      this.notify(`Could not fetch the flow again: ${error.message}`, 'error');
      setTimeout(() => this.reload(), RETRY_WAIT * 3);
    }
  }

  // ---- the socket ----

  onStatus(conn) {
    if (conn.state !== 'open') {
      this.synced = false;
      this.syncRef = null;
      if (this.inflight) this.inflight.lost = true; // its answer went with the connection
    }
    // Closed for good (signed out, or no longer in the flow's team): read only from now on,
    // and the others are no longer heard of.
    if (conn.state === 'closed' && this.state.me) this.store.update({ conn, others: {}, me: { ...this.state.me, canEdit: false } });
    else this.store.update({ conn });
  }

  onOpen() {
    this.synced = false;
    this.sendSync();
  }

  /**
   * Now and then, ask the server for anything missed: a change whose broadcast was lost
   * shows no gap until a later one arrives. Only while nothing is in flight or asked.
   */
  checkIn() {
    if (this.synced && !this.syncRef && !this.inflight && !this.state.reloading) this.sendSync();
  }

  sendSync() {
    if (!this.state.loaded || !this.socket.isOpen()) return;
    this.syncRef = this.socket.send({ type: 'doc.sync', after: this.state.version });
  }

  onFrame(frame) {
    if (frame.type === 'hello') {
      const me = { connection: frame.connection, user: frame.user, role: frame.role, canEdit: frame.can_edit };
      this.maxFrame = (frame.limits && frame.limits.max_frame_bytes) || DEFAULT_MAX_FRAME;
      this.store.update({ me });
    } else if (frame.type === 'doc.changed') {
      this.queue(frame.version, { kind: 'change', frame });
      this.drain();
    } else if (frame.type === 'doc.ack') {
      this.onAck(frame);
    } else if (frame.type === 'doc.changes') {
      this.onChanges(frame);
    } else if (frame.type === 'access.changed') {
      accessChanged(this, frame);
    } else if (frame.type === 'flow.updated') {
      this.onFlowUpdated(frame);
    } else if (frame.type === 'error' && frame.ref) {
      this.onError(frame);
    }
  }

  onFlowUpdated(frame) {
    const { type, ref, ...fields } = frame; // eslint-disable-line no-unused-vars
    const meta = { ...this.state.meta, ...fields };
    if (fields.published_revision && fields.published_revision === fields.revision) meta.unpublished_changes = false;
    this.store.update({ meta });
  }

  onAck(frame) {
    const item = this.inflight;
    if (!item || frame.ref !== item.ref) return;
    if (frame.ops.length) this.queue(frame.version, { kind: 'ack', frame, item });
    else this.emptyAcks.push({ version: frame.version, frame, item });
    this.drain();
  }

  onChanges(frame) {
    if (!frame.ref || frame.ref !== this.syncRef) return;
    this.syncRef = null;
    this.synced = true;
    if (frame.reload) {
      this.reload();
      return;
    }
    const item = this.inflight;
    const me = this.state.me;
    // Our edit in flight may be among them (its ack lost with a connection, or not here yet).
    const mine =
      item && me
        ? frame.changes.find((c) => c.version > item.base && c.author && c.author.id === me.user.id && canonical(c.ops) === canonical(item.ops))
        : null;
    for (const change of frame.changes) {
      if (change === mine) this.queue(change.version, { kind: 'ack', frame: { ...change, dropped: [] }, item });
      else this.queue(change.version, { kind: 'change', frame: change });
    }
    this.drain();
    if (this.inflight && this.inflight.lost) {
      // Not applied before the connection dropped: sent again on its old base, so the
      // server rebases it onto everything since and says what it could not keep.
      this.inflight.sent = false;
      this.inflight.resend = true;
      this.inflight = null;
    }
    this.pump();
  }

  onError(frame) {
    if (frame.ref === this.syncRef) {
      // A version the server does not know (a flow re-created meanwhile): start afresh.
      this.syncRef = null;
      if (frame.code === 'invalid') this.reload();
      else setTimeout(() => this.sendSync(), RETRY_WAIT);
      return;
    }
    const item = this.inflight;
    if (!item || frame.ref !== item.ref) return;
    this.inflight = null;
    item.sent = false;
    item.retries = (item.retries || 0) + 1;
    if (RETRYABLE.has(frame.code) && item.retries < 5) {
      setTimeout(() => this.pump(), RETRY_WAIT * item.retries);
      return;
    }
    if (frame.code === 'conflict' && item.retries < 5) {
      // Made on a version the server's log no longer reaches: fetch the flow, then the edit
      // goes again on it (what no longer applies there is dropped and said).
      item.resend = false;
      this.reload();
      return;
    }
    if (frame.code === 'forbidden') {
      this.items = [];
      this.publish({ me: { ...this.state.me, canEdit: false }, error: this.refusal(frame.message) });
      return;
    }
    this.items = this.items.filter((i) => i !== item);
    this.publish({ error: this.refusal(frame.message) });
    this.pump();
  }

  // ---- sending ----

  pump() {
    if (!this.synced || this.inflight || this.state.reloading || !this.socket.isOpen()) return;
    while (this.items.length) {
      const item = this.items[0];
      if (!item.resend) {
        // Checked on the version it goes on: what no longer applies there is dropped here.
        const { failed } = applyWhatApplies(this.state.confirmed, item.ops);
        if (failed.length) {
          item.ops = item.ops.filter((_, i) => !failed.some((f) => f.index === i));
          item.shown = item.ops;
          this.history.failed(item, failed);
        }
        if (!item.ops.length) {
          this.items.shift();
          continue;
        }
        this.history.sending(item, this.state.confirmed);
      }
      const base = item.resend ? item.base : this.state.version;
      const ref = this.socket.send({ type: 'doc.edit', base, ops: item.ops });
      if (!ref) break;
      Object.assign(item, { ref, base, sent: true, lost: false });
      this.inflight = item;
      break;
    }
    this.publish();
  }

  // ---- local edits ----

  /**
   * Applies `ops` here at once and queues them. Refused (with the reason shown) when they
   * do not apply to what is on screen. Returns whether the edit was made.
   */
  edit(ops, { kind = 'edit', entry = null, record = true } = {}) {
    if (!ops.length || !this.state.view || !this.canEdit()) return false;
    let inverse;
    try {
      inverse = inverseOps(this.state.view, ops);
    } catch (error) {
      if (!(error instanceof EditRefused)) throw error;
      this.store.update({ error: this.refusal(error.message) });
      return false;
    }
    // Sent in as many frames as it takes (chunks.js), one undo step all the same.
    const runs = chunked(ops, this.maxFrame);
    if (!runs) {
      this.store.update({ error: this.refusal(`one change is over the ${Math.round(this.maxFrame / 1024)} KB the server takes at once; shorten its text`) });
      return false;
    }
    const shared = record ? this.history.record(ops, inverse, runs, this.state.view) : entry;
    runs.forEach((run, part) => this.items.push({ id: (this.ids += 1), ops: run, shown: run, kind, entry: shared, part, sent: false }));
    const view = applyWhatApplies(this.state.view, ops).doc;
    this.noteRenames(ops);
    const selection = followRenames(this.state.selection, ops);
    this.store.update({ view, selection, pending: this.items.slice(), history: this.history.counts() });
    this.pump();
    return true;
  }

  /** Nothing waits to be sent or confirmed. */
  idle() {
    return !this.items.length && !this.state.reloading && this.state.loaded;
  }

  /**
   * An edit refused, here or by the server: said until dismissed or until an edit made
   * after it is confirmed (the edits made before it say nothing about the problem).
   */
  refusal(message) {
    this.refusedAt = this.ids;
    return `Not saved: ${message}`;
  }

  resolve(item, frame) {
    super.resolve(item, frame);
    if (this.state.error && item.id > this.refusedAt && frame.ops.length) this.dismissError();
  }

  dismissError() {
    this.store.update({ error: '' });
  }
}
