// When the user's access to the flow changes while the canvas is open (docs/protocol.md,
// `access.changed`, and the socket closed for good with 4401/4404): the canvas turns read
// only at once and says what became of the edits not yet saved, rather than letting the
// next edit be refused.

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The role changed: an editor made a viewer loses the edits the server would refuse. */
export function accessChanged(sync, frame) {
  const state = sync.state;
  const me = { ...state.me, role: frame.role, canEdit: frame.can_edit };
  if (frame.can_edit) {
    sync.store.update({ me, readOnlyNote: '' });
    if (!state.meta || !state.meta.can_edit) sync.notify(`You are now ${frame.role === 'owner' ? 'an owner' : 'an editor'} of this team: reload the page to edit the flow.`, 'info');
    return;
  }
  const lost = sync.items.length;
  sync.items = [];
  sync.inflight = null;
  const kept = lost ? ` ${plural(lost, 'change')} not yet saved could not be kept.` : '';
  // Not an error: the canvas reads as any viewer's, and the banner says why (store.js).
  sync.publish({ me, error: '', readOnlyNote: `You are now a viewer of this team: you can no longer change the flow.${kept}` });
}

/** What the header and the banner say once the socket has closed for good. */
export function closedStatus(conn, pending) {
  const unsaved = pending ? ` ${plural(pending, 'change')} made here could not be saved.` : '';
  return { state: 'closed', message: `${conn.message}${unsaved}`, pending };
}
