// Edits bigger than a frame go in several (src/doc/chunks.js, src/doc/sync.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunked } from '../src/doc/chunks.js';
import { DocStore } from '../src/doc/store.js';
import { DocSync } from '../src/doc/sync.js';
import { editCases } from './cases.js';

const add = (i, text = 'x'.repeat(2000)) => ({ op: 'add_widget', state: { name: `w${i}`, type: 'send-message', transitions: [{ event: 'sent', next: `w${i + 1}` }], properties: { body: text } } });

test('operations go in order, in runs that each fit in a frame', () => {
  const ops = Array.from({ length: 80 }, (_, i) => add(i));
  const runs = chunked(ops, 64 * 1024);
  assert.ok(runs.length > 1);
  assert.deepEqual(runs.flat(), ops);
  for (const run of runs) assert.ok(new TextEncoder().encode(JSON.stringify({ type: 'doc.edit', base: 123456, ops: run, ref: 'r999' })).length <= 64 * 1024);
  assert.deepEqual(chunked(ops.slice(0, 3)), [ops.slice(0, 3)]);
  assert.equal(chunked([add(1, 'é'.repeat(40000))]), null); // 80 KB in UTF-8
});

class Socket {
  constructor() {
    this.sent = [];
  }
  isOpen() {
    return true;
  }
  send(message) {
    this.sent.push({ ...message, ref: `r${this.sent.length + 1}` });
    return `r${this.sent.length}`;
  }
}

test('a big edit is saved frame after frame and undone in one step', () => {
  const store = new DocStore();
  const socket = new Socket();
  const sync = new DocSync({ store, socket, fetchDocument: async () => null, notify: () => {} });
  sync.onFrame({ type: 'hello', connection: 'c1', user: { id: 1, name: 'alice' }, role: 'owner', can_edit: true, version: 10, limits: { max_frame_bytes: 20000 } });
  sync.adoptDocument({ definition: editCases()[0].document, version: 10, can_edit: true, problems: [] });
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  sync.onFrame({ type: 'doc.changes', ref: socket.sent.filter((m) => m.type === 'doc.sync').at(-1).ref, version: 10, changes: [], reload: false });
  const ops = Array.from({ length: 30 }, (_, i) => add(i));
  assert.equal(sync.edit(ops), true);
  let version = 10;
  const edits = [];
  for (;;) {
    const sent = socket.sent.filter((m) => m.type === 'doc.edit')[edits.length];
    if (!sent) break;
    assert.ok(JSON.stringify(sent).length <= 20000);
    edits.push(sent);
    version += 1;
    sync.onFrame({ type: 'doc.ack', ref: sent.ref, version, ops: sent.ops, dropped: [], problems: [] });
  }
  assert.ok(edits.length > 2);
  assert.deepEqual(edits.flatMap((e) => e.ops), ops);
  assert.equal(store.state.save.state, 'saved');
  assert.equal(store.state.confirmed.states.filter((s) => /^w\d+$/.test(s.name)).length, 30);
  assert.deepEqual(sync.history.counts(), { undo: 1, redo: 0 });
  // One change alone too big is refused before it shows.
  assert.equal(sync.edit([add(99, 'x'.repeat(30000))]), false);
  assert.match(store.state.error, /^Not saved: one change is over the 20 KB/);
});
