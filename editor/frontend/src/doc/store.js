// The one document store of the canvas page (read with useDoc in useCoEditing.js): the
// server's document and version (`confirmed`), the edits made here and not yet confirmed
// (`pending`), the document shown (`view` = confirmed with the pending edits applied), the
// selection, the others on the flow (`others`), and the undo/redo counts. The co-editing
// protocol (sync.js) and presence (presence.js) write it; components only read it and call
// their methods. Every update replaces the changed fields, so a field that did not change
// keeps its identity (React Flow and memoised components skip what did not change).

import { applyWhatApplies } from '../ops.js';
import { closedStatus } from './access.js';

/**
 * What the header shows about saving: saved, saving, offline (with the queue, or nothing
 * queued once the connection is lost), error, read only (the user's access changed:
 * doc/access.js), or closed (the server will not take this canvas's edits any more).
 */
export function saveStatusOf(state) {
  const pending = state.pending.length;
  const conn = state.conn.state;
  if (conn === 'closed') return closedStatus(state.conn, pending);
  if (state.error) return { state: 'error', message: state.error, pending };
  if (state.readOnlyNote) return { state: 'readonly', message: state.readOnlyNote, pending: 0 };
  const lost = conn === 'offline' || conn === 'reconnecting';
  if (!pending && !state.reloading && !lost) return { state: 'saved', message: '', pending };
  if (conn !== 'open') {
    return { state: 'offline', message: state.conn.message || 'Not connected to the server', pending };
  }
  return { state: 'saving', message: '', pending };
}

const sameStatus = (a, b) => a && a.state === b.state && a.message === b.message && a.pending === b.pending;

export function viewOf(confirmed, pending) {
  if (!confirmed) return null;
  return pending.reduce((doc, item) => applyWhatApplies(doc, item.shown).doc, confirmed);
}

export class DocStore {
  constructor() {
    this.listeners = new Set();
    this.state = {
      loaded: false,
      loadError: '',
      meta: null, // the document response without its definition
      problems: [],
      confirmed: null,
      version: 0,
      pending: [], // {id, ops (to send), shown (as the view applies them), kind, sent}
      view: null,
      reloading: false,
      selection: [],
      typing: null, // {widget, field} being typed in here
      others: {}, // connection -> {connection, user, role, selection, typing, seen}
      me: null, // from hello: {connection, user, role, canEdit}
      history: { undo: 0, redo: 0 },
      conn: { state: 'connecting', message: '' },
      error: '', // an edit refused (here or by the server), until dismissed or a later edit is confirmed
      readOnlyNote: '', // why the canvas turned read only under the user (doc/access.js), for the banner
    };
    this.state.save = saveStatusOf(this.state);
  }

  subscribe = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = () => this.state;

  update(patch) {
    const next = { ...this.state, ...patch };
    const save = saveStatusOf(next);
    next.save = sameStatus(this.state.save, save) ? this.state.save : save;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}
