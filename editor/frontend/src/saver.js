// The edit queue: one request in flight, the rest queued, each carrying the version the
// previous one returned. A 409 stops the queue and keeps every pending batch so nothing is
// lost; the user chooses to reload-and-reapply or to discard.

import { ApiError, postJson } from './api.js';

export class EditQueue {
  constructor({ url, version, onChange, onAccepted, onRefused }) {
    this.url = url;
    this.version = version;
    this.pending = []; // batches of ops, oldest first; pending[0] is in flight when busy
    this.busy = false;
    this.state = 'saved'; // saved | saving | unsaved | conflict | error
    this.message = '';
    this.onChange = onChange;
    this.onAccepted = onAccepted;
    this.onRefused = onRefused;
  }

  emit() {
    this.onChange({ state: this.state, message: this.message, pending: this.pending.length });
  }

  push(ops) {
    this.pending.push(ops);
    if (this.state === 'saved') this.state = 'unsaved';
    this.emit();
    this.pump();
  }

  blocked() {
    return this.state === 'conflict' || this.state === 'error';
  }

  async pump() {
    if (this.busy || this.blocked() || !this.pending.length) return;
    this.busy = true;
    this.state = 'saving';
    this.emit();
    const ops = this.pending[0];
    try {
      const result = await postJson(this.url, { base_version: this.version, ops });
      this.version = result.version;
      this.pending.shift();
      this.onAccepted(result, ops);
      this.state = this.pending.length ? 'saving' : 'saved';
      this.message = '';
    } catch (error) {
      this.fail(error, ops);
    } finally {
      this.busy = false;
      this.emit();
    }
    this.pump();
  }

  fail(error, ops) {
    if (error instanceof ApiError && error.status === 409) {
      this.state = 'conflict';
      this.message = error.message;
    } else if (error instanceof ApiError && error.status === 400) {
      // The server refused this batch: drop it, say why, and let the page reload the truth.
      this.pending.shift();
      this.state = 'error';
      this.message = `Not saved: ${error.message}`;
      this.onRefused(error, ops);
    } else {
      this.state = 'error';
      this.message = error.message || 'Saving failed';
    }
  }

  /** After a reload: continue from `version` with whatever is still pending. */
  resume(version) {
    this.version = version;
    this.state = this.pending.length ? 'unsaved' : 'saved';
    this.message = '';
    this.emit();
    this.pump();
  }

  discard(version) {
    this.pending = [];
    this.resume(version);
  }

  idle() {
    return !this.busy && !this.pending.length;
  }
}
