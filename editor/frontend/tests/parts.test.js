// What of an edit survives someone else's change to part of it (src/doc/rebase.js
// `narrowed`, as rebase.py does on the server), and what its undo still reverts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page } from './page.js';

const BOB = { id: 2, name: 'bob', colour: '#a0f' };
const at = (x, y) => ({ x, y });
const offset = (store, which, name) => store.state[which].states.find((s) => s.name === name).properties.offset;
const offline = ({ socket, sync }) => {
  socket.open = false;
  sync.onStatus({ state: 'offline', message: '' });
};
const online = ({ socket, sync }, changes) => {
  socket.open = true;
  sync.onStatus({ state: 'open', message: '' });
  sync.onOpen();
  const version = changes.length ? changes[changes.length - 1].version : 10;
  sync.onFrame({ type: 'doc.changes', ref: socket.last('doc.sync').ref, version, reload: false, changes });
};
const change = (version, ops) => ({ version, author: BOB, ops, summary: '', source: 'canvas', problems: [] });

test('a multi-selection moved offline while someone moved one of it still moves the rest', () => {
  const p = page();
  offline(p);
  p.sync.edit([{ op: 'move_widgets', offsets: { split_1: at(300, 400), yes: at(300, 600) } }]);
  online(p, [change(11, [{ op: 'move_widgets', offsets: { yes: at(900, 900) } }])]);
  assert.deepEqual(p.notices, ['bob\'s change to yes › position won: {"x":900,"y":900}']);
  const sent = p.socket.last('doc.edit');
  assert.deepEqual(sent.ops, [{ op: 'move_widgets', offsets: { split_1: at(300, 400) } }]);
  assert.deepEqual(offset(p.store, 'view', 'split_1'), at(300, 400));
  assert.deepEqual(offset(p.store, 'view', 'yes'), at(900, 900));
});

test('part of a move lost on the server: undo still moves back the part that applied', () => {
  const p = page();
  p.sync.edit([{ op: 'move_widgets', offsets: { split_1: at(300, 400), yes: at(300, 600) } }]);
  const sent = p.socket.last('doc.edit');
  p.sync.onFrame({ type: 'doc.changed', version: 11, author: BOB, ops: [{ op: 'move_widgets', offsets: { yes: at(900, 900) } }], summary: '', source: 'canvas', problems: [] });
  const dropped = [{ index: 0, op: sent.ops[0], field: 'yes/offset', reason: 'bob changed yes/offset first', value: at(900, 900), by: 'bob' }];
  const applied = [{ op: 'move_widgets', offsets: { split_1: at(300, 400) } }];
  p.sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 12, ops: applied, dropped, problems: [] });
  p.sync.history.undo();
  assert.deepEqual(p.socket.last('doc.edit').ops, [{ op: 'move_widgets', offsets: { split_1: at(0, 400) } }]);
  assert.deepEqual(offset(p.store, 'view', 'split_1'), at(0, 400));
  assert.deepEqual(offset(p.store, 'view', 'yes'), at(900, 900));
});

test('a delete of several made offline still deletes those nobody changed since', () => {
  const p = page();
  offline(p);
  p.sync.edit([{ op: 'delete_widgets', names: ['split_1', 'yes'] }]);
  online(p, [change(11, [{ op: 'set_properties', name: 'yes', set: { body: 'kept' }, unset: [] }])]);
  assert.deepEqual(p.socket.last('doc.edit').ops, [{ op: 'delete_widgets', names: ['split_1'] }]);
  const names = p.store.state.view.states.map((s) => s.name);
  assert.deepEqual(names, ['Trigger', 'ask', 'yes']);
});

test('an edit queued across a restore undoes to what the restore left, not to what it replaced', async () => {
  const restored = JSON.parse(JSON.stringify(page().store.state.confirmed));
  restored.states.find((s) => s.name === 'yes').properties.body = 'restored';
  const p = page({ fetchDocument: async () => ({ definition: restored, version: 12, can_edit: true, problems: [] }) });
  offline(p);
  p.sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'mine' }, unset: [] }]);
  p.socket.open = true;
  p.sync.onStatus({ state: 'open', message: '' });
  p.sync.onOpen();
  p.sync.onFrame({ type: 'doc.changes', ref: p.socket.last('doc.sync').ref, version: 12, reload: true, changes: [] });
  await new Promise((resolve) => setTimeout(resolve, 0));
  const sent = p.socket.last('doc.edit');
  assert.equal(sent.base, 12);
  p.sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 13, ops: sent.ops, dropped: [], problems: [] });
  p.sync.history.undo();
  assert.deepEqual(p.socket.last('doc.edit').ops, [{ op: 'set_properties', name: 'yes', set: { body: 'restored' }, unset: [] }]);
  assert.equal(p.store.state.view.states.find((s) => s.name === 'yes').properties.body, 'restored');
});

test("typing replaced by someone else's change to the field is said, with what was typed", () => {
  const p = page();
  p.sync.onFrame({ type: 'doc.changed', version: 11, author: BOB, ops: [{ op: 'set_properties', name: 'yes', set: { body: 'theirs' }, unset: [] }], summary: '', source: 'canvas', problems: [] });
  p.sync.history.draftLost('yes', 'body', 'mine half typ');
  assert.deepEqual(p.notices, ["bob's change to yes › body won: theirs. What you were typing in yes › body was not saved: mine half typ"]);
  p.sync.edit([{ op: 'set_properties', name: 'yes', set: { body: 'own' }, unset: [] }]);
  const sent = p.socket.last('doc.edit');
  p.sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 12, ops: sent.ops, dropped: [], problems: [] });
  p.sync.history.draftLost('yes', 'body', 'more'); // the page's own last change (an undo): nothing to say
  assert.equal(p.notices.length, 1);
});

const adding = (name, next = null) => ({
  op: 'add_widget',
  state: { name, type: 'send-message', transitions: [{ event: 'sent', next }, { event: 'failed' }], properties: { offset: at(900, 0), body: name } },
});
const stateOf = (store, name) => store.state.view.states.find((s) => s.name === name);

test("a paste renamed under someone else's: its copies stay wired to each other, and redo adds them under their new names", () => {
  const p = page();
  p.sync.edit([adding('send_message_1', 'send_message_2'), adding('send_message_2')]);
  const sent = p.socket.last('doc.edit');
  p.sync.onFrame({ type: 'doc.changed', version: 11, author: BOB, ops: [adding('send_message_1'), adding('send_message_2')], summary: '', source: 'canvas', problems: [] });
  assert.equal(stateOf(p.store, 'send_message_3').transitions[0].next, 'send_message_4');
  assert.ok(!stateOf(p.store, 'send_message_1').transitions[0].next);
  const applied = [adding('send_message_3', 'send_message_4'), adding('send_message_4')];
  p.sync.onFrame({ type: 'doc.ack', ref: sent.ref, version: 12, ops: applied, dropped: [], problems: [], renamed: { send_message_1: 'send_message_3', send_message_2: 'send_message_4' } });
  p.sync.history.undo();
  const undo = p.socket.last('doc.edit');
  assert.deepEqual(undo.ops, [{ op: 'delete_widgets', names: ['send_message_4'] }, { op: 'delete_widgets', names: ['send_message_3'] }]);
  p.sync.onFrame({ type: 'doc.ack', ref: undo.ref, version: 13, ops: undo.ops, dropped: [], problems: [] });
  p.notices.length = 0;
  p.sync.history.redo();
  assert.deepEqual(p.notices, []);
  assert.deepEqual(p.socket.last('doc.edit').ops.map((op) => op.state.name), ['send_message_3', 'send_message_4']);
  assert.equal(stateOf(p.store, 'send_message_3').transitions[0].next, 'send_message_4');
});

test('a flow replaced by someone else (a revision restored) is said, and fetched again', async () => {
  let fetched = 0;
  const p = page({ fetchDocument: async () => ((fetched += 1), { definition: page().store.state.confirmed, version: 11, can_edit: true, problems: [] }) });
  p.sync.onFrame({ type: 'doc.changed', version: 11, author: BOB, ops: null, summary: 'restored revision 2', source: 'restore', problems: [] });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(fetched, 1);
  assert.deepEqual(p.notices, ['bob restored a revision; the canvas now shows the flow as it is.']);
});
