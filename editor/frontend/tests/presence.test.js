// Presence (src/doc/presence.js): who is shown, what is outlined, when members are dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocStore } from '../src/doc/store.js';
import { PresenceSync, initials, marksByWidget, membersOf } from '../src/doc/presence.js';

const BOB = { id: 2, name: 'bob', colour: '#a0f' };
const member = (connection, user, selection = [], typing = null) => ({ type: 'presence.updated', connection, user, role: 'editor', selection, typing });

function presence() {
  const store = new DocStore();
  const sent = [];
  let now = 0;
  const socket = { send: (m) => sent.push(m) };
  const sync = new PresenceSync({ store, socket, now: () => now });
  sync.stop(); // the timers are driven by hand here
  return { store, sent, sync, tick: (ms) => (now += ms) };
}

test('members are shown once per person, and leave when their connection closes', () => {
  const { store, sync } = presence();
  sync.onFrame(member('c2', BOB, ['split_1']));
  sync.onFrame(member('c3', BOB, ['ask']));
  assert.deepEqual(membersOf(store.state.others).map((m) => [m.user.name, m.selection]), [['bob', ['split_1', 'ask']]]);
  sync.onFrame({ type: 'presence.left', connection: 'c2' });
  assert.deepEqual(Object.keys(store.state.others), ['c3']);
});

test("a member not heard from for 60 s is dropped; one who refreshed is kept", () => {
  const { store, sync, tick } = presence();
  sync.onFrame(member('c2', BOB));
  tick(30000);
  sync.onFrame(member('c3', { id: 3, name: 'carol', colour: '#f00' }));
  tick(31000);
  sync.prune();
  assert.deepEqual(Object.keys(store.state.others), ['c3']);
});

test('selections and typing mark the widgets they touch', () => {
  const marks = marksByWidget({ c2: { ...member('c2', BOB, ['split_1'], { widget: 'ask', field: 'body' }) } });
  assert.deepEqual(Object.keys(marks).sort(), ['ask', 'split_1']);
  assert.deepEqual(marks.ask[0].typing, { widget: 'ask', field: 'body' });
  assert.equal(marks.split_1[0].typing, null);
});

test('typing is said once per field, and its end after a pause', () => {
  const { sent, sync } = presence();
  sync.setTyping('ask', 'body');
  sync.setTyping('ask', 'body');
  assert.deepEqual(sent.map((m) => m.typing), [{ widget: 'ask', field: 'body' }]);
  clearTimeout(sync.typingTimer);
  sync.setTyping(null);
  assert.deepEqual(sent.at(-1).typing, null);
});

test('initials', () => {
  assert.equal(initials('bob'), 'BO');
  assert.equal(initials('Ada Lovelace'), 'AL');
});
