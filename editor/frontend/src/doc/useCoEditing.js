// The page's document store, its co-editing and presence, and the one websocket they share
// with the test panel (live/socket.js). Created once per page.

import { useEffect, useState, useSyncExternalStore } from 'react';
import { getJson } from '../api.js';
import { placeOps } from '../placement.js';
import { FlowSocket, socketUrl } from '../live/socket.js';
import { DocStore } from './store.js';
import { DocSync } from './sync.js';
import { PresenceSync } from './presence.js';

/** A field (or a value derived from fields, memoised by the caller) of the store. */
export function useDoc(store, select) {
  return useSyncExternalStore(store.subscribe, () => select(store.state));
}

// How often a canvas asks whether it missed a change (docs/protocol.md, "Catching up").
const CHECK_IN_EVERY = 30000;

function start(config, urls, notify) {
  const store = new DocStore();
  const socket = new FlowSocket(socketUrl(config.flowSid));
  const sync = new DocSync({ store, socket, fetchDocument: () => getJson(urls.document), notify: (...args) => notify.current(...args), place: placeOps });
  const presence = new PresenceSync({ store, socket });
  const stopListening = socket.listen({
    onFrame: (frame) => {
      sync.onFrame(frame);
      presence.onFrame(frame);
    },
    onOpen: () => {
      sync.onOpen();
      presence.onOpen();
    },
    onStatus: (status) => sync.onStatus(status),
  });
  const checker = setInterval(() => sync.checkIn(), CHECK_IN_EVERY);
  const first = config.firstDocument || getJson(urls.document);
  first.then(
    (response) => sync.adoptDocument(response),
    (error) => store.update({ loadError: error.message }),
  );
  const stop = () => {
    clearInterval(checker);
    stopListening();
    presence.stop();
    socket.close();
  };
  return { store, socket, sync, presence, stop };
}

/** `notify` is a ref to the page's notice function (set by the page once it has one). */
export function useCoEditing(config, urls, notify) {
  const [live] = useState(() => start(config, urls, notify));
  useEffect(() => live.stop, [live]);
  return live;
}
