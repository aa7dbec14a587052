// Who else is on the flow, what they have selected and where they type (docs/protocol.md,
// "presence"). This page says its selection (once it has settled for a moment), where it
// types (and that it stopped: at once when the field is left, components/Inspector.jsx, else
// after a pause), and refreshes both every 20 s; members not
// heard from for 60 s are dropped (their server process may have died).

const SELECTION_SETTLE = 100;
const TYPING_IDLE = 2000;
const REFRESH_EVERY = 20000;
const SILENT_FOR = 60000;
const PRUNE_EVERY = 5000;

const sameTyping = (a, b) => (a && b ? a.widget === b.widget && a.field === b.field : a === b);

export class PresenceSync {
  constructor({ store, socket, now = () => Date.now() }) {
    this.store = store;
    this.socket = socket;
    this.now = now;
    this.selectionTimer = null;
    this.typingTimer = null;
    this.refresher = setInterval(() => this.announce(), REFRESH_EVERY);
    this.pruner = setInterval(() => this.prune(), PRUNE_EVERY);
  }

  stop() {
    clearInterval(this.refresher);
    clearInterval(this.pruner);
    clearTimeout(this.selectionTimer);
    clearTimeout(this.typingTimer);
  }

  announce() {
    const { selection, typing } = this.store.state;
    this.socket.send({ type: 'presence.update', selection: selection.slice(0, 2000), typing });
  }

  onOpen() {
    // The others were announced to the old connection; they answer the new one afresh.
    this.store.update({ others: {} });
    this.announce();
  }

  onFrame(frame) {
    const others = this.store.state.others;
    if (frame.type === 'presence.updated') {
      const { type, ref, ...member } = frame; // eslint-disable-line no-unused-vars
      this.store.update({ others: { ...others, [frame.connection]: { ...member, seen: this.now() } } });
    } else if (frame.type === 'presence.left' && others[frame.connection]) {
      const rest = { ...others };
      delete rest[frame.connection];
      this.store.update({ others: rest });
    }
  }

  prune() {
    const others = this.store.state.others;
    const cutoff = this.now() - SILENT_FOR;
    const alive = Object.fromEntries(Object.entries(others).filter(([, m]) => m.seen >= cutoff));
    if (Object.keys(alive).length !== Object.keys(others).length) this.store.update({ others: alive });
  }

  setSelection(names) {
    const current = this.store.state.selection;
    if (names.length === current.length && names.every((n, i) => n === current[i])) return;
    this.store.update({ selection: names });
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => this.announce(), SELECTION_SETTLE);
  }

  /** Called on every key typed in a widget's field; with null when the field is left. */
  setTyping(widget, field) {
    const typing = widget ? { widget, field } : null;
    clearTimeout(this.typingTimer);
    if (typing) this.typingTimer = setTimeout(() => this.setTyping(null), TYPING_IDLE);
    if (sameTyping(typing, this.store.state.typing)) return;
    this.store.update({ typing });
    this.announce();
  }
}

/** Others on the flow, one per person (a person with two tabs open shows once). */
export function membersOf(others) {
  const byUser = new Map();
  for (const member of Object.values(others)) {
    const known = byUser.get(member.user.id);
    byUser.set(member.user.id, {
      user: member.user,
      role: member.role,
      selection: [...(known ? known.selection : []), ...member.selection],
      typing: (known && known.typing) || member.typing,
    });
  }
  return [...byUser.values()].sort((a, b) => a.user.name.localeCompare(b.user.name));
}

export function initials(name) {
  const parts = String(name || '?').split(/[\s._@-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[1][0] : String(name || '?').slice(0, 2);
  return letters.toUpperCase();
}

/** Widget name -> the others who have it selected or type in it: [{user, typing}]. */
export function marksByWidget(others) {
  const marks = {};
  for (const member of Object.values(others)) {
    const typingIn = member.typing && member.typing.widget;
    const names = new Set([...member.selection, ...(typingIn ? [typingIn] : [])]);
    for (const name of names) {
      (marks[name] = marks[name] || []).push({ user: member.user, typing: typingIn === name ? member.typing : null });
    }
  }
  return marks;
}
