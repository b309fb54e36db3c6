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
// The channel connects to one of the push-server nodes GET /api/config lists (ws_urls), answers the init frame
// by posting its client_id to POST /api/bind (the web-api binds it to the session's uid; the page never names a
// uid), then pages through GET /api/sync?after=<cursor> until nothing is left. The cursor comes only from sync
// answers: pushed frames arrive out of id order, so a pushed id says nothing about the ids before it. When the
// socket drops, or a node stops answering, it reconnects to the next node with exponential backoff and full
// jitter, binds again and syncs again; duplicates are dropped by message id.

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
    if (res.status === 401) {
      forgetSession(); // the hint outlived the session
      if (redirectOn401) goToLogin();
    }
    const err = (json && json.error) || {};
    throw new ApiError(res.status, err.code, err.message, res.headers.get('Retry-After'));
  }
  return json;
}

let configPromise = null;

/** GET /api/config, fetched once per page: {ws_url, ws_urls, …}. */
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

// Set and cleared by web-api with the session's HttpOnly cookie, which pages cannot see: a hint that there may be a
// session, so that a signed-out visit asks for none (and logs no 401). It holds no secret.
const SESSION_HINT = 'pushgate_signed_in';

/** True when the browser may hold a session: the hint is there (the session may still have expired). */
export function maybeSignedIn() {
  return document.cookie.split(';').some((c) => c.trim().startsWith(SESSION_HINT + '='));
}

function forgetSession() {
  document.cookie = SESSION_HINT + '=; Max-Age=0; Path=/; SameSite=Strict';
}

/**
 * The signed-in user (GET /api/me: {uid, username, nickname, headimgurl, role}); goes to the login page when there
 * is none, without asking when the browser holds no session hint (the promise then never settles: the page is
 * going away).
 */
export async function requireUser() {
  if (!maybeSignedIn()) {
    goToLogin();
    await new Promise(() => {});
  }
  return api('/api/me');
}

/** Ends the session as far as the page can: asks the API to log out and goes to the login page. */
export async function logout() {
  try { await api('/api/logout', { method: 'POST', redirectOn401: false }); } catch { /* gone already */ }
  forgetSession(); // the API clears it too, unless it could not be reached
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
/** How many shown ids above the cursor the channel remembers to drop duplicates; the oldest go first. */
const SEEN_LIMIT = 5000;

/**
 * The push channel of one page. Events (CustomEvent, payload in `detail`):
 *  - `message`: a chat message object, from a push or from /api/sync, each id at most once;
 *  - `read`: a read receipt frame;
 *  - `frame`: any other frame the web-api pushes;
 *  - `status`: 'connecting', 'online' (bound and caught up) or 'offline' (waiting to retry);
 *  - `bound`: after every successful bind, before the sync.
 *
 * The cursor (`after` of the next sync) moves only with sync answers: their `next_after`, else their newest id.
 * A pushed message is shown at once (unless its id was shown already) and asks for a catch-up sync a little
 * later, which moves the cursor past it; a socket that drops between two pushes therefore loses nothing, since
 * the sync after the next bind starts where the last sync answer ended, not at the newest id pushed.
 */
export class PushChannel extends EventTarget {
  /**
   * @param {object} [options]
   * @param {number} [options.after]  the newest message id the page has loaded (0 when there is none): the first
   *                                   sync's cursor. Without it the channel cannot know where to start and never
   *                                   syncs.
   * @param {boolean} [options.sync]   false for pages that show no messages (admin); default true
   * @param {number} [options.minDelayMs] first reconnect delay, default 500
   * @param {number} [options.maxDelayMs] longest reconnect delay, default 15000
   * @param {number} [options.pingMs]  how long the socket may stay silent before the page sends a text ping,
   *                                   default 20000
   * @param {number} [options.pongTimeoutMs] how long a ping may go unanswered before the page drops the socket and
   *                                   moves to the next node, default 10000
   * @param {number} [options.connectTimeoutMs] how long a new socket may take to deliver its init frame, default
   *                                   10000
   * @param {number} [options.syncDelayMs] how soon after a push the catch-up sync runs (up to twice that, at
   *                                   random, so the recipients of one group message do not all ask at once);
   *                                   default 2000
   */
  constructor({ after, sync = true, minDelayMs = 500, maxDelayMs = 15000, pingMs = 20000, pongTimeoutMs = 10000,
                connectTimeoutMs = 10000, syncDelayMs = 2000 } = {}) {
    super();
    this.cursor = Number.isFinite(after) ? after : null;
    this.syncEnabled = sync;
    this.minDelayMs = minDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.pingMs = pingMs;
    this.pongTimeoutMs = pongTimeoutMs;
    this.connectTimeoutMs = connectTimeoutMs;
    this.syncDelayMs = syncDelayMs;
    this.seen = new Set(); // ids shown above the cursor
    this.attempt = 0;
    this.ws = null;
    this.wsUrls = null;
    this.urlIndex = 0;
    this.stopped = false;
    this.status = 'offline';
    this.retryTimer = null;
    this.connectTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.heard = false; // a frame arrived during the current ping period
    this.clientId = null;
    this.syncLoop = null; // the running sync loop
    this.syncAgain = false; // asked for while the loop ran: it makes one more pass
    this.syncTimer = null;
    this.onWake = () => {
      if (document.visibilityState !== 'hidden') this.probe();
    };
  }

  /** Connects; returns at once. */
  start() {
    this.stopped = false;
    // A laptop waking up or a network coming back: check the socket now rather than at the next ping period.
    document.addEventListener('visibilitychange', this.onWake);
    window.addEventListener('online', this.onWake);
    this.connect();
    return this;
  }

  /** Closes the socket for good (no reconnect). */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.syncTimer);
    this.syncTimer = null;
    document.removeEventListener('visibilitychange', this.onWake);
    window.removeEventListener('online', this.onWake);
    const ws = this.ws;
    this.drop();
    if (ws) ws.close(1000, 'page closed');
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
      if (!this.wsUrls) {
        this.wsUrls = wsUrlsOf(await pageConfig());
        this.urlIndex = Math.floor(Math.random() * this.wsUrls.length); // pages spread over the nodes
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return; // on its way to the login page
      this.retry();
      return;
    }
    if (this.stopped) return;
    let ws;
    try {
      ws = new WebSocket(this.wsUrls[this.urlIndex]);
    } catch {
      this.nextNode();
      this.retry();
      return;
    }
    this.ws = ws;
    // A node that accepts TCP but never answers (stalled) must not keep the page 'connecting' for good.
    this.connectTimer = setTimeout(() => this.abandon(ws, 4002, 'no init frame'), this.connectTimeoutMs);
    ws.onmessage = (e) => this.onFrame(ws, e.data);
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      console.info('pushgate: connection closed', e.code, e.reason);
      this.abandon(ws);
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  async onFrame(ws, data) {
    if (this.ws !== ws) return;
    clearTimeout(this.pongTimer); // any frame shows the node is alive
    this.pongTimer = null;
    let frame;
    try { frame = JSON.parse(data); } catch { frame = null; }
    // A pong only answers our ping: an idle socket keeps being pinged once a period, a busy one never.
    if (!frame || frame.type !== 'pong') this.heard = true;
    if (!frame || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'init':
        clearTimeout(this.connectTimer);
        this.clientId = frame.client_id;
        await this.bind(ws, frame.client_id);
        return;
      case 'ping':
        this.send(ws, { type: 'pong' });
        return;
      case 'pong':
        return;
      case 'message':
        if (frame.message && this.deliver(frame.message)) this.scheduleSync();
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
      // Everything stored before this bind, whether its push reached us or not, comes with this sync; pushes that
      // arrive meanwhile are shown but leave the cursor alone.
      if (this.canSync()) await this.sync();
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.startPing(ws);
      this.setStatus('online');
    } catch (e) {
      // Not bound means not listening: drop this socket and try again later (a 401 has left the page already).
      console.warn('pushgate: bind or sync failed:', e.message);
      this.abandon(ws, 4000, 'bind failed');
    }
  }

  canSync() {
    return this.syncEnabled && this.cursor !== null;
  }

  /**
   * Pages through GET /api/sync from the cursor until `has_more` is false. Only one loop runs at a time: a call
   * while it runs makes it take one more pass, so the returned promise settles after a pass that started after
   * the call.
   */
  sync() {
    if (this.syncLoop) {
      this.syncAgain = true;
    } else {
      this.syncLoop = this.runSync();
    }
    return this.syncLoop;
  }

  async runSync() {
    try {
      do {
        this.syncAgain = false;
        await this.syncPass();
      } while (this.syncAgain);
    } finally {
      this.syncLoop = null; // in the same turn as the last check of syncAgain: no request can fall in between
    }
  }

  async syncPass() {
    for (;;) {
      const after = this.cursor;
      const page = await api(`/api/sync?after=${encodeURIComponent(after)}&limit=${SYNC_PAGE}`);
      const messages = (page && page.messages) || [];
      messages.forEach((m) => this.deliver(m));
      this.advance(nextAfter(page, messages, after));
      if (!page || !page.has_more || this.cursor <= after) return;
    }
  }

  /**
   * Runs a catch-up sync soon after a push, so that the cursor passes what pushes showed (and a later reconnect
   * neither fetches it again nor needs every shown id remembered). Pushes meanwhile share that one sync.
   */
  scheduleSync() {
    if (!this.canSync() || this.syncTimer !== null) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      this.sync().catch((e) => console.warn('pushgate: catch-up sync failed:', e.message));
    }, this.syncDelayMs * (1 + Math.random()));
  }

  /** Moves the cursor forward and forgets the shown ids it passed (the cursor rule drops those now). */
  advance(cursor) {
    if (!(cursor > this.cursor)) return;
    this.cursor = cursor;
    for (const id of this.seen) {
      if (id <= cursor) this.seen.delete(id);
    }
  }

  /** Emits a message unless it was shown already: its id is known, or at or below the cursor. True if emitted. */
  deliver(message) {
    const id = Number(message.id);
    if (!Number.isFinite(id) || (this.cursor !== null && id <= this.cursor) || this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value);
    this.emit('message', message);
    return true;
  }

  /** Forgets the current socket (if it is `ws`), closes it, and reconnects to the next node after a backoff. */
  abandon(ws, code = 1000, reason = '') {
    if (this.ws !== ws) return;
    this.drop();
    ws.onclose = null;
    ws.onmessage = null;
    if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close(code, reason);
    this.nextNode();
    this.retry();
  }

  drop() {
    this.ws = null;
    clearTimeout(this.connectTimer);
    this.stopPing();
  }

  nextNode() {
    if (this.wsUrls) this.urlIndex = (this.urlIndex + 1) % this.wsUrls.length;
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

  // The browser answers the server's WebSocket pings by itself but cannot see them. So after a period in which
  // nothing arrived the page sends a text ping; when nothing comes back in time the node is gone or stalled (TCP
  // open, nothing flowing: a stopped process, a dropped NAT entry, a sleeping laptop) and the page moves to the
  // next one. A busy socket is never pinged; an idle one costs the server one small frame each way per period,
  // as before.
  startPing(ws) {
    this.stopPing();
    this.heard = false;
    this.pingTimer = setInterval(() => {
      if (this.ws !== ws) return;
      if (!this.heard) this.probe();
      this.heard = false;
    }, this.pingMs);
  }

  /** Sends a text ping unless one is out; the socket is dropped when no frame arrives within pongTimeoutMs. */
  probe() {
    const ws = this.ws;
    if (!ws || this.status !== 'online' || this.pongTimer !== null) return;
    this.pongTimer = setTimeout(() => this.abandon(ws, 4001, 'no pong'), this.pongTimeoutMs);
    this.send(ws, { type: 'ping' });
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
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

/** The push-server URLs of a page config: ws_urls, or the single ws_url of an older web-api. */
function wsUrlsOf(config) {
  const urls = Array.isArray(config.ws_urls) ? config.ws_urls.filter((u) => typeof u === 'string' && u) : [];
  return urls.length > 0 ? urls : [config.ws_url];
}

/** The cursor a sync answer hands on: its `next_after`, else its newest id, else the `after` it answered. */
function nextAfter(page, messages, after) {
  if (page && page.next_after != null && Number.isFinite(Number(page.next_after))) return Number(page.next_after);
  return messages.reduce((max, m) => Math.max(max, Number(m.id)), after);
}
