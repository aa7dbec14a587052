// The flow's websocket (docs/protocol.md): one per open flow page, shared by the test
// panel, co-editing and presence (each listens with `listen`). Reconnects with backoff and
// jitter after a lost connection; every (re)connect is announced with onOpen so each
// listener can catch up on what it follows. Requests carry a `ref`; the server echoes it on
// its answers. While the browser says it is offline the socket stays closed.

const CLOSED_FOR_GOOD = { 4401: 'You are signed out. Sign in again, then reload the page.', 4404: 'This flow is gone, or you are no longer in its team.' };
const FIRST_DELAY = 500;
const MAX_DELAY = 15000;
const PING_EVERY = 25000; // keeps idle proxies from closing the socket

export function socketUrl(flowSid, location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/flows/${flowSid}/`;
}

export class FlowSocket {
  constructor(url) {
    this.url = url;
    this.listeners = new Set();
    this.ws = null;
    this.attempt = 0;
    this.refs = 0;
    this.stopped = false;
    this.timer = null;
    this.pinger = null;
    this.hello = null;
    this.current = { state: 'connecting', message: '' };
    this.network = {
      offline: () => this.goOffline(),
      online: () => this.current.state === 'offline' && this.reconnectNow(),
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.network.offline);
      window.addEventListener('online', this.network.online);
    }
    this.connect();
  }

  /**
   * handlers: onFrame(frame), onOpen(), onStatus({state, message}) where state is
   * 'connecting' | 'open' | 'reconnecting' | 'offline' | 'closed'. A listener that comes
   * late hears the current status, and if open the last `hello` and onOpen. Returns the
   * function that stops listening.
   */
  listen(handlers) {
    this.listeners.add(handlers);
    handlers.onStatus?.(this.current);
    if (this.isOpen() && this.hello) {
      handlers.onFrame?.(this.hello);
      handlers.onOpen?.();
    }
    return () => this.listeners.delete(handlers);
  }

  emit(kind, ...args) {
    for (const listener of [...this.listeners]) listener[kind]?.(...args);
  }

  isOpen() {
    return Boolean(this.ws && this.ws.readyState === WebSocket.OPEN);
  }

  status(state, message = '') {
    this.current = { state, message };
    this.emit('onStatus', this.current);
  }

  connect() {
    if (this.stopped) return;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.status('offline', 'Offline: your changes are kept and sent when the connection is back.');
      return;
    }
    this.status(this.attempt ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (error) {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.hello = null;
      this.status('open');
      this.pinger = setInterval(() => this.send({ type: 'ping' }), PING_EVERY);
      this.emit('onOpen');
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (!frame || typeof frame.type !== 'string') return;
      if (frame.type === 'hello') this.hello = frame;
      this.emit('onFrame', frame);
    };
    ws.onclose = (event) => {
      clearInterval(this.pinger);
      if (this.ws !== ws) return;
      this.ws = null;
      if (CLOSED_FOR_GOOD[event.code]) {
        this.stopped = true;
        this.status('closed', CLOSED_FOR_GOOD[event.code]);
        return;
      }
      this.retry();
    };
  }

  retry() {
    if (this.stopped) return;
    const delay = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    this.status('reconnecting', `Connection lost; trying again in ${Math.ceil(delay / 1000)} s.`);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Sends `message` with a fresh ref (returned); null when the socket is not open. */
  send(message) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return null;
    this.refs += 1;
    const ref = `r${this.refs}`;
    this.ws.send(JSON.stringify({ ...message, ref }));
    return ref;
  }

  /** The browser went offline: close now rather than wait for the connection to time out. */
  goOffline() {
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
    if (!this.stopped) this.status('offline', 'Offline: your changes are kept and sent when the connection is back.');
  }

  /** After a refusal (4401/4404) nothing reconnects until the user asks. */
  reconnectNow() {
    clearTimeout(this.timer);
    this.stopped = false;
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  close() {
    this.stopped = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.network.offline);
      window.removeEventListener('online', this.network.online);
    }
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }
}
