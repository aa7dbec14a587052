// A canvas page's co-editing (src/doc/sync.js) against a scripted server: the page at
// version 10 of the shared case document, and the socket it writes to.
import { DocStore } from '../src/doc/store.js';
import { DocSync } from '../src/doc/sync.js';
import { editCases } from './cases.js';

export const BOB = { id: 2, name: 'bob', colour: '#a0f' };
export const ALICE = { id: 1, name: 'alice', colour: '#0af' };

export class FakeSocket {
  constructor() {
    this.sent = [];
    this.open = true;
    this.refs = 0;
  }
  isOpen() {
    return this.open;
  }
  send(message) {
    if (!this.open) return null;
    const ref = `r${(this.refs += 1)}`;
    this.sent.push({ ...message, ref });
    return ref;
  }
  last(type) {
    return [...this.sent].reverse().find((m) => m.type === type);
  }
}

/** A page with the shared case document at version 10, synced, online. */
export function page({ fetchDocument = async () => null } = {}) {
  const store = new DocStore();
  const socket = new FakeSocket();
  const notices = [];
  const sync = new DocSync({ store, socket, fetchDocument, notify: (text) => notices.push(text) });
  sync.onFrame({ type: 'hello', connection: 'c1', user: ALICE, role: 'owner', can_edit: true, version: 10 });
  sync.adoptDocument({ definition: editCases()[0].document, version: 10, can_edit: true, problems: [] });
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  sync.onFrame({ type: 'doc.changes', ref: socket.last('doc.sync').ref, version: 10, changes: [], reload: false });
  return { store, socket, sync, notices };
}

export const prop = (store, which, widget, key) => store.state[which].states.find((s) => s.name === widget).properties[key];
export const changed = (version, ops, author = BOB) => ({ type: 'doc.changed', version, author, ops, summary: '', source: 'canvas', problems: [] });
