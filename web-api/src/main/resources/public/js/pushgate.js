// The one small client every page shares: REST calls to the web-api, and the push channel.
//
//   import { api, requireUser, PushChannel } from './pushgate.js';
//   const me = await requireUser();
//   const channel = new PushChannel({ after: lastIdOnScreen });
//   channel.addEventListener('message', e => show(e.detail));   // a chat message, never twice
//   channel.addEventListener('read', e => markRead(e.detail));   // {"type":"read","peer","up_to_id"}
//   channel.addEventListener('status', e => showStatus(e.detail)); // 'connecting' | 'online' | 'offline'
//   channel.start();
//
// The channel connects to the push-server's ws_url (GET /api/config), answers the init frame by posting its
// client_id to POST /api/bind (the web-api binds it to the session's uid; the page never names a uid), then
// asks GET /api/sync?after=<last id seen> for whatever it missed. When the socket drops it reconnects with
// exponential backoff and full jitter, binds again and syncs again; duplicates are dropped by message id.

/** An error answer of the REST API: {"error":{"code","message"}} with its HTTP status. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/**
 * Calls the REST API and returns the parsed JSON body (or null for an empty one).
 * `body` is sent as JSON unless it is FormData. The session cookie rides along (same origin); the extra header
 * marks the request as made by our own pages. A 401 on a page that needs a login goes to the login page.
 */
export async function api(path, { method = 'GET', body, redirectOn401 = true } = {}) {
  const headers = { 'Accept': 'application/json', 'X-Requested-With': 'pushgate' };
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) {
    if (res.status === 401 && redirectOn401) {
      goToLogin();
    }
    const err = (json && json.error) || {};
    throw new ApiError(res.status, err.code, err.message, res.headers.get('Retry-After'));
  }
  return json;
}

let configPromise = null;

/** GET /api/config, fetched once per page: {ws_url, …}. */
export function pageConfig() {
  if (!configPromise) {
    configPromise = api('/api/config').catch((e) => {
      configPromise = null; // try again next time
      throw e;
    });
  }
  return configPromise;
}

/** Sends the browser to the login page, remembering where it was. */
export function goToLogin() {
  const here = location.pathname + location.search;
  if (!location.pathname.endsWith('/login.html')) {
    location.assign('/login.html?next=' + encodeURIComponent(here));
  }
}

/** The signed-in user ({uid, nickname, headimgurl, role}); goes to the login page when there is none. */
export async function requireUser() {
  const me = await api('/api/me');
  return me.user || me;
}

/** Ends the session as far as the page can: asks the API to log out and goes to the login page. */
export async function logout() {
  try { await api('/api/logout', { method: 'POST', redirectOn401: false }); } catch { /* gone already */ }
  location.assign('/login.html');
}

/** The page where a user of this role starts. */
export function homeFor(user) {
  switch (user && user.role) {
    case 'admin': return '/admin.html';
    case 'agent':
    case 'support': return '/desk.html';
    default: return '/chat.html';
  }
}

const SYNC_PAGE = 100;

/**
 * The push channel of one page. Events (CustomEvent, payload in `detail`):
 *  - `message`: a chat message object, from a push or from /api/sync, each id at most once;
 *  - `read`: a read receipt frame;
 *  - `frame`: any other frame the web-api pushes;
 *  - `status`: 'connecting', 'online' (bound and caught up) or 'offline' (waiting to retry);
 *  - `bound`: after every successful bind, before the sync.
 */
export class PushChannel extends EventTarget {
  /**
   * @param {object} [options]
   * @param {number} [options.after]  the newest message id the page has loaded (0 when there is none); each
   *                                   sync asks for what came after the newest id seen. Without it the channel
   *                                   cannot know where to start and never syncs.
   * @param {boolean} [options.sync]   false for pages that show no messages (admin); default true
   * @param {number} [options.minDelayMs] first reconnect delay, default 500
   * @param {number} [options.maxDelayMs] longest reconnect delay, default 15000
   * @param {number} [options.pingMs]  how often the page checks the socket with a text ping, default 20000
   */
  constructor({ after, sync = true, minDelayMs = 500, maxDelayMs = 15000, pingMs = 20000 } = {}) {
    super();
    this.lastId = Number.isFinite(after) ? after : null;
    this.syncEnabled = sync;
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.pingMs = pingMs;
    this.seen = new Set();
    this.attempt = 0;
    this.ws = null;
    this.wsUrl = null;
    this.stopped = false;
    this.status = 'offline';
    this.retryTimer = null;
    this.pingTimer = null;
    this.awaitingPong = false;
    this.clientId = null;
  }

  /** Connects; returns at once. */
  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  /** Closes the socket for good (no reconnect). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopPing();
    if (this.ws) this.ws.close(1000, 'page closed');
  }

  /**
   * Binds the current connection again, so that it joins groups the user joined since (POST /api/bind joins
   * every group of the caller). Harmless when the web-api already did so.
   */
  async rebind() {
    if (this.ws && this.clientId) {
      await api('/api/bind', { method: 'POST', body: { client_id: this.clientId } });
    }
  }

  /** Shows a message sent by this page at once; the push of the same id is then dropped as a duplicate. */
  accept(message) {
    this.deliver(message);
  }

  async connect() {
    if (this.stopped) return;
    this.setStatus('connecting');
    try {
      if (!this.wsUrl) {
        const config = await pageConfig();
        this.wsUrl = config.ws_url;
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // on its way to the login page
      this.retry();
      return;
    }
    let ws;
    try {
      ws = new WebSocket(this.wsUrl);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onmessage = (e) => this.onFrame(ws, e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      console.info('pushgate: connection closed', e.code, e.reason);
      this.ws = null;
      this.stopPing();
      this.retry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  async onFrame(ws, data) {
    let frame;
    try { frame = JSON.parse(data); } catch { return; }
    if (!frame || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'init':
        this.clientId = frame.client_id;
        await this.bind(ws, frame.client_id);
        return;
      case 'ping':
        this.send(ws, { type: 'pong' });
        return;
      case 'pong':
        this.awaitingPong = false;
        return;
      case 'message':
        if (frame.message) this.deliver(frame.message);
        return;
      case 'read':
        this.emit('read', frame);
        return;
      default:
        this.emit('frame', frame);
    }
  }

  async bind(ws, clientId) {
    try {
      await api('/api/bind', { method: 'POST', body: { client_id: clientId } });
      if (this.ws !== ws) return;
      this.emit('bound', clientId);
      if (this.syncEnabled && this.lastId !== null) await this.catchUp();
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.startPing(ws);
      this.setStatus('online');
    } catch (e) {
      // Not bound means not listening: drop this socket and try again later (a 401 has left the page already).
      console.warn('pushgate: bind or sync failed:', e.message);
      if (this.ws === ws) ws.close(4000, 'bind failed');
    }
  }

  /** Fetches every message after the last one seen, page by page. */
  async catchUp() {
    for (;;) {
      const page = await api(`/api/sync?after=${encodeURIComponent(this.lastId)}&limit=${SYNC_PAGE}`);
      const messages = (page && page.messages) || [];
      messages.forEach((m) => this.deliver(m));
      if (!page || !page.has_more || messages.length === 0) return;
    }
  }

  deliver(message) {
    const id = Number(message.id);
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if (this.lastId === null || id > this.lastId) this.lastId = id;
    this.emit('message', message);
  }

  retry() {
    if (this.stopped) return;
    this.setStatus('offline');
    // Full jitter: a random wait up to the exponential ceiling, so many pages do not come back in step.
    const ceiling = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** this.attempt);
    const delay = Math.max(this.minDelayMs / 2, Math.random() * ceiling);
    this.attempt = Math.min(this.attempt + 1, 16);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // The browser answers the server's WebSocket pings by itself but cannot see them; a text ping now and then
  // finds a connection that died silently (a sleeping laptop, a dropped NAT entry) and starts a reconnect.
  startPing(ws) {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (this.awaitingPong) {
        ws.close(4001, 'no pong');
        return;
      }
      this.awaitingPong = true;
      this.send(ws, { type: 'ping' });
    }, this.pingMs);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.awaitingPong = false;
  }

  send(ws, frame) {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
