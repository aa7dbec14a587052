// The co-editing protocol of the canvas (src/doc/sync.js) against a scripted server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Since, rebase } from '../src/doc/rebase.js';
import { ALICE, BOB, changed, page, prop } from './page.js';

test('an edit shows at once, goes out on the version held, and is confirmed by its ack', () => {
  const { store, socket, sync } = page();
  sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'Hello' }, unset: [] }]);
  assert.equal(prop(store, 'view', 'yes', 'body'), 'Hello');
  const sent = socket.last('doc.edit');
  assert.equal(sent.base, 10);
  assert.equal(store.state.save.state, 'saving');
  sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 11, ops: sent.ops, dropped: [], problems: [] });
  assert.equal(store.state.version, 11);
  assert.equal(prop(store, 'confirmed', 'yes', 'body'), 'Hello');
  assert.equal(store.state.save.state, 'saved');
});

test('one edit is in flight at a time; the next goes on the version its ack gave', () => {
  const { socket, sync } = page();
  sync.edit([{ op: 'move_widgets', offsets: { ask: { x: 1, y: 1 } } }]);
  sync.edit([{ op: 'move_widgets', offsets: { ask: { x: 2, y: 2 } } }]);
  assert.equal(socket.sent.filter((m) => m.type === 'doc.edit').length, 1);
  const first = socket.last('doc.edit');
  sync.onFrame({ type: 'doc.ack', ref: first.ref, version: 11, ops: first.ops, dropped: [], problems: [] });
  assert.equal(socket.last('doc.edit').base, 11);
});

test('changes are applied in version order: an ack before the change it follows waits', () => {
  const { store, socket, sync } = page();
  sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'Mine' }, unset: [] }]);
  const sent = socket.last('doc.edit');
  sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 12, ops: sent.ops, dropped: [], problems: [] });
  assert.equal(store.state.version, 10, 'held back until 11 is in');
  sync.onFrame(changed(11, [{ op: 'set_properties', name: 'ask', set: { body: 'Theirs' }, unset: [] }]));
  assert.equal(store.state.version, 12);
  assert.equal(prop(store, 'confirmed', 'ask', 'body'), 'Theirs');
  assert.equal(prop(store, 'confirmed', 'yes', 'body'), 'Mine');
  assert.equal(store.state.pending.length, 0);
});

test('a change from someone else keeps the pending edits on top, and a lost field is said', () => {
  const { store, socket, sync, notices } = page();
  socket.open = false;
  sync.onStatus({ state: 'offline', message: '' });
  sync.edit([{ op: 'set_properties', name: 'split_1', set: { input: 'mine' }, unset: [] }]);
  sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'kept' }, unset: [] }]);
  assert.equal(store.state.save.state, 'offline');
  assert.equal(store.state.save.pending, 2);
  socket.open = true;
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  const syncing = socket.last('doc.sync');
  assert.equal(syncing.after, 10);
  sync.onFrame({
    type: 'doc.changes',
    ref: syncing.ref,
    version: 11,
    reload: false,
    changes: [{ version: 11, author: BOB, ops: [{ op: 'set_properties', name: 'split_1', set: { input: '{{theirs}}' }, unset: [] }], summary: '', source: 'canvas', problems: [] }],
  });
  assert.deepEqual(notices, ["bob's change to split_1 › input won: {{theirs}}"]);
  assert.equal(prop(store, 'view', 'split_1', 'input'), '{{theirs}}');
  assert.equal(prop(store, 'view', 'yes', 'body'), 'kept');
  const sent = socket.last('doc.edit');
  assert.equal(sent.base, 11);
  assert.deepEqual(sent.ops, [{ op: 'set_properties', name: 'yes', set: { body: 'kept' }, unset: [] }]);
});

test('pending edits follow a widget renamed meanwhile', () => {
  const { store, socket, sync } = page();
  socket.open = false;
  sync.onStatus({ state: 'offline', message: '' });
  sync.edit([{ op: 'set_properties', name: 'ask', set: { body: 'Hi' }, unset: [] }]);
  socket.open = true;
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  sync.onFrame({
    type: 'doc.changes', ref: socket.last('doc.sync').ref, version: 11, reload: false,
    changes: [{ version: 11, author: BOB, ops: [{ op: 'rename_widget', name: 'ask', new_name: 'question' }], summary: '', source: 'canvas', problems: [] }],
  });
  assert.equal(socket.last('doc.edit').ops[0].name, 'question');
  assert.equal(prop(store, 'view', 'question', 'body'), 'Hi');
});

test('undo reverts only what nobody changed since, and says what it left', () => {
  const { store, socket, sync, notices } = page();
  sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'one' }, unset: [] }, { op: 'move_widgets', offsets: { yes: { x: 5, y: 5 } } }]);
  const sent = socket.last('doc.edit');
  sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 11, ops: sent.ops, dropped: [], problems: [] });
  sync.onFrame(changed(12, [{ op: 'set_properties', name: 'yes', set: { body: 'carol' }, unset: [] }], { id: 3, name: 'carol', colour: '#f00' }));
  sync.history.undo();
  assert.deepEqual(notices, ["Can't undo the change to yes › body: carol changed it since"]);
  const undo = socket.last('doc.edit');
  assert.deepEqual(undo.ops, [{ op: 'move_widgets', offsets: { yes: { x: 0, y: 600 } } }]);
  assert.equal(prop(store, 'view', 'yes', 'body'), 'carol');
});

test('a dropped operation in an ack is said with who won and what', () => {
  const { sync, socket, notices } = page();
  sync.edit([{ op: 'set_properties', name: 'split_1', set: { input: 'x' }, unset: [] }]);
  const sent = socket.last('doc.edit');
  sync.onFrame(changed(11, [{ op: 'set_properties', name: 'split_1', set: { input: '{{y}}' }, unset: [] }]));
  sync.onFrame({
    type: 'doc.ack', ref: sent.ref, version: 11, ops: [], problems: [],
    dropped: [{ index: 0, op: sent.ops[0], field: 'split_1/properties/input', reason: 'bob changed split_1/properties/input first', value: '{{y}}', by: 'bob' }],
  });
  assert.deepEqual(notices, ["bob's change to split_1 › input won: {{y}}"]);
  assert.equal(sync.idle(), true);
});

test('an edit whose ack was lost with the connection is recognised among the changes', () => {
  const { store, socket, sync } = page();
  sync.edit([{ op: 'move_widgets', offsets: { ask: { x: 7, y: 7 } } }]);
  const sent = socket.last('doc.edit');
  socket.open = false;
  sync.onStatus({ state: 'reconnecting', message: '' });
  socket.open = true;
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  const count = socket.sent.filter((m) => m.type === 'doc.edit').length;
  sync.onFrame({
    type: 'doc.changes', ref: socket.last('doc.sync').ref, version: 11, reload: false,
    changes: [{ version: 11, author: ALICE, ops: sent.ops, summary: '', source: 'canvas', problems: [] }],
  });
  assert.equal(socket.sent.filter((m) => m.type === 'doc.edit').length, count, 'not sent twice');
  assert.equal(store.state.version, 11);
  assert.equal(sync.idle(), true);
});

test('a gap that stays open is asked for with doc.sync', async () => {
  const { store, socket, sync } = page();
  sync.onFrame(changed(12, [{ op: 'move_widgets', offsets: { ask: { x: 3, y: 3 } } }]));
  assert.equal(store.state.version, 10);
  const before = socket.sent.length;
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(socket.sent.length, before + 1);
  assert.equal(socket.last('doc.sync').after, 10);
  clearTimeout(sync.gapTimer);
});

test('a viewer makes no edits', () => {
  const { sync, socket } = page();
  sync.onFrame({ type: 'hello', connection: 'c1', user: ALICE, role: 'viewer', can_edit: false, version: 10 });
  assert.equal(sync.edit([{ op: 'move_widgets', offsets: { ask: { x: 1, y: 1 } } }]), false);
  assert.equal(socket.last('doc.edit'), undefined);
});

test("our own change announced before its ack counts as the ack, and the ack adds nothing", () => {
  const { store, socket, sync, notices } = page();
  sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'Mine' }, unset: [] }]);
  const sent = socket.last('doc.edit');
  sync.onFrame(changed(11, sent.ops, ALICE));
  assert.equal(sync.idle(), true);
  assert.equal(sync.history.entries.at(-1).mine, true);
  sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 11, ops: sent.ops, dropped: [], problems: [] });
  assert.equal(store.state.version, 11);
  assert.equal(prop(store, 'view', 'yes', 'body'), 'Mine');
  assert.deepEqual(notices, []);
});

test('checking in now and then finds a change whose broadcast was lost', () => {
  const { store, socket, sync } = page();
  const asked = socket.sent.filter((m) => m.type === 'doc.sync').length;
  sync.checkIn();
  const check = socket.last('doc.sync');
  assert.equal(socket.sent.filter((m) => m.type === 'doc.sync').length, asked + 1);
  assert.equal(check.after, 10);
  const lost = { ...changed(11, [{ op: 'set_properties', name: 'ask', set: { body: 'Missed' }, unset: [] }]) };
  delete lost.type;
  sync.onFrame({ type: 'doc.changes', ref: check.ref, version: 11, changes: [lost], reload: false });
  assert.equal(store.state.version, 11);
  assert.equal(prop(store, 'confirmed', 'ask', 'body'), 'Missed');
  sync.edit([{ op: 'move_widgets', offsets: { ask: { x: 1, y: 1 } } }]);
  sync.checkIn();
  assert.equal(socket.last('doc.sync'), check, 'no check-in while an edit is in flight');
});

const body = (text) => [{ op: 'set_properties', name: 'yes', set: { body: text }, unset: [] }];
const ackOf = (sent, version) => ({ type: 'doc.ack', ref: sent.ref, version, ops: sent.ops, dropped: [], problems: [] });

test('a refused edit is said until an edit made after it is confirmed', () => {
  const { store, socket, sync } = page();
  sync.edit(body('one'));
  const one = socket.last('doc.edit');
  sync.edit(body('two')); // made before the refusal: its success says nothing about it
  sync.onFrame({ type: 'error', ref: one.ref, code: 'invalid', message: 'yes is in the way' });
  assert.equal(store.state.save.state, 'error');
  const two = socket.last('doc.edit');
  sync.onFrame(ackOf(two, 11));
  assert.equal(store.state.save.message, 'Not saved: yes is in the way');

  sync.edit([{ op: 'move_widgets', offsets: { nowhere: { x: 1, y: 1 } } }]); // refused here
  assert.match(store.state.save.message, /nowhere/);
  sync.edit(body('three'));
  assert.equal(store.state.save.state, 'error', 'kept until the server confirms it');
  sync.onFrame(ackOf(socket.last('doc.edit'), 12));
  assert.equal(store.state.save.state, 'saved');
  assert.equal(store.state.error, '');
});

test('a refusal that stands (no right to edit any more) stays', () => {
  const { store, socket, sync } = page();
  sync.edit(body('one'));
  sync.onFrame({ type: 'error', ref: socket.last('doc.edit').ref, code: 'forbidden', message: 'you are a viewer now' });
  assert.equal(sync.edit(body('two')), false);
  assert.equal(store.state.save.message, 'Not saved: you are a viewer now');
});

test('undoing an add leaves the widget when someone has connected a transition to it since', () => {
  const undoAdd = [{ op: 'delete_widgets', names: ['send_message_2'] }, { op: 'delete_widgets', names: ['say_1'] }];
  const connected = [{ op: 'connect', name: 'send_message_3', index: 0, next: 'send_message_2' }];
  const since = new Since({ incoming: true });
  since.add(connected, 'bob');
  const { kept, dropped } = rebase(undoAdd, since);
  assert.deepEqual(kept, [{ op: 'delete_widgets', names: ['say_1'] }]);
  assert.equal(dropped[0].reason, 'bob connected a transition to send_message_2 meanwhile');
  // So do a split's conditions and a widget added pointing at it.
  for (const ops of [
    [{ op: 'update_widget', name: 'split_1', transitions: [{ event: 'noMatch', next: 'send_message_2' }] }],
    [{ op: 'add_widget', state: { name: 'x', type: 'send-message', transitions: [{ event: 'sent', next: 'send_message_2' }] } }],
  ]) {
    const other = new Since({ incoming: true });
    other.add(ops, 'carol');
    assert.equal(rebase(undoAdd, other).dropped.length, 1);
  }
  // Edits not yet sent are rebased as the server rebases them: no such conflict there.
  const plain = new Since();
  plain.add(connected, 'bob');
  assert.equal(rebase(undoAdd, plain).dropped.length, 0);
  // One's own connections never conflict.
  const own = new Since({ incoming: true });
  own.add(connected, 'me', { conflicting: false });
  assert.equal(rebase(undoAdd, own).dropped.length, 0);
});
