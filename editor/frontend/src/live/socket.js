// The flow's websocket (docs/protocol.md): one per open flow page. Reconnects with backoff
// and jitter after a lost connection; every (re)connect is announced with onOpen so the
// owner can re-watch what it watched. Requests carry a `ref`; the server echoes it on its
// answers.

const CLOSED_FOR_GOOD = { 4401: 'You are signed out. Sign in again, then reload the page.', 4404: 'This flow is gone, or you are no longer in its team.' };
const FIRST_DELAY = 500;
const MAX_DELAY = 15000;
const PING_EVERY = 25000; // keeps idle proxies from closing the socket

export function socketUrl(flowSid, location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/flows/${flowSid}/`;
}

export class FlowSocket {
  /**
   * handlers: onFrame(frame), onOpen(), onStatus({state, message}) where state is
   * 'connecting' | 'open' | 'reconnecting' | 'closed'.
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.attempt = 0;
    this.refs = 0;
    this.stopped = false;
    this.timer = null;
    this.pinger = null;
    this.connect();
  }

  status(state, message = '') {
    this.state = state;
    this.handlers.onStatus({ state, message });
  }

  connect() {
    if (this.stopped) return;
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
      this.status('open');
      this.pinger = setInterval(() => this.send({ type: 'ping' }), PING_EVERY);
      this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (frame && typeof frame.type === 'string') this.handlers.onFrame(frame);
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

  /** After a refusal (4401/4404) nothing reconnects until the user asks. */
  reconnectNow() {
    clearTimeout(this.timer);
    this.stopped = false;
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  close() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }
}
