// Access changing under the open canvas (src/doc/access.js) and what the header then says of
// saving (src/doc/store.js's saveStatusOf, src/status.js's saveLabel).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocStore } from '../src/doc/store.js';
import { DocSync } from '../src/doc/sync.js';
import { saveLabel } from '../src/status.js';
import { editCases } from './cases.js';

const BOB = { id: 2, name: 'bob', colour: '#a0f' };

/** bob's canvas, an editor, synced and online (as tests/sync.test.js's page). */
function page() {
  const store = new DocStore();
  const sent = [];
  const socket = { isOpen: () => true, send: (m) => (sent.push({ ...m, ref: `r${sent.length + 1}` }), `r${sent.length}`) };
  const sync = new DocSync({ store, socket, fetchDocument: async () => null, notify: () => {} });
  sync.onFrame({ type: 'hello', connection: 'c2', user: BOB, role: 'editor', can_edit: true, version: 10 });
  sync.adoptDocument({ definition: editCases()[0].document, version: 10, can_edit: true, problems: [] });
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  const syncRef = [...sent].reverse().find((m) => m.type === 'doc.sync').ref;
  sync.onFrame({ type: 'doc.changes', ref: syncRef, version: 10, changes: [], reload: false });
  return { store, sync };
}

const edit = [{ op: 'set_properties', name: 'yes', set: { body: 'Hello' }, unset: [] }];

test('an editor made a viewer reads as read only, not as an error; the banner has the why', () => {
  const { store, sync } = page();
  sync.edit(edit);
  sync.onFrame({ type: 'access.changed', role: 'viewer', can_edit: false });
  const save = store.state.save;
  assert.equal(save.state, 'readonly');
  assert.notEqual(saveLabel(save), 'Error');
  assert.equal(saveLabel(save), '', 'the "Read only" chip says it');
  assert.match(save.message, /You are now a viewer of this team/);
  assert.match(save.message, /1 change not yet saved could not be kept/);
  assert.equal(sync.edit(edit), false);
});

test('made an editor again, the read-only note goes', () => {
  const { store, sync } = page();
  sync.onFrame({ type: 'access.changed', role: 'viewer', can_edit: false });
  sync.onFrame({ type: 'access.changed', role: 'editor', can_edit: true });
  assert.equal(store.state.save.state, 'saved');
  assert.equal(saveLabel(store.state.save), 'Saved');
});

test('the connection lost with nothing queued reads Offline, not Saved', () => {
  const { store, sync } = page();
  for (const state of ['offline', 'reconnecting']) {
    sync.onStatus({ state, message: 'Connection lost' });
    assert.equal(store.state.save.state, 'offline', state);
    assert.equal(saveLabel(store.state.save), 'Offline');
  }
  sync.edit(edit);
  assert.equal(saveLabel(store.state.save), 'Offline — 1 change queued');
});
