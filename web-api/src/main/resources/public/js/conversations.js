// The conversation list of the chat and desk pages: avatar, name, last message, unread badge, newest first; kept
// live from the push channel.
import { api } from './pushgate.js';
import { el } from './dom.js';
import { formatTime, preview } from './format.js';
import { avatar } from './views.js';
import { GroupDirectory } from './caches.js';
import { conversationKey } from './conversation-key.js';

/**
 * One entry of GET /api/conversations, `{peer (a profile) or group (a room), desk, last_message?, unread}`, as
 * the list keeps it: `{key, peer, desk, user, last, unread}` or `{key, group, name, last, unread}`.
 */
export function normalize(entry) {
  const last = entry.last_message ?? null;
  if (entry.group) {
    const group = String(entry.group.group_id);
    return { key: conversationKey({ group }), group, name: entry.group.name, last, unread: entry.unread };
  }
  const peer = String(entry.peer.uid);
  return { key: conversationKey({ peer, desk: entry.desk }), peer, desk: entry.desk, user: entry.peer, last,
    unread: entry.unread };
}

/** The newest message id the caller can see, from GET /api/conversations (0 when none): where a page's sync starts. */
export async function newestMessageId() {
  const body = await api('/api/conversations');
  return newestId(body.conversations.map(normalize));
}

function newestId(entries) {
  return entries.reduce((max, c) => Math.max(max, c.last ? Number(c.last.id) : 0), 0);
}

/** The entry a message belongs to on the chat page: a room, or a 1:1 conversation of the caller's (else null). */
function ownEntryOf(me, m) {
  if (m.group_id != null) {
    const group = String(m.group_id);
    return { key: conversationKey({ group }), group, name: 'Group ' + group };
  }
  const mine = String(m.from_uid) === String(me.uid);
  // Desk traffic that reaches an agent (neither side is the agent) belongs on the desk page.
  if (!mine && String(m.to_uid) !== String(me.uid)) return null;
  const peer = String(mine ? m.to_uid : m.from_uid);
  return { key: conversationKey({ peer }), peer };
}

export class ConversationList {
  /**
   * @param {HTMLElement} root  an <ul> the list fills
   * @param {object} deps  { me, profiles, onOpen(entry) } and, to show another set of conversations (the desk):
   *   select(entry) → the entry to show or null; entryOf(message) → (a promise of) the entry it belongs to, with
   *   its key, or null to ignore it; own(message) → true when it was sent from this side.
   *   By default the list shows the caller's own 1:1 conversations and groups.
   */
  constructor(root, { me, profiles, onOpen, select, entryOf, own }) {
    this.root = root;
    this.me = me;
    this.profiles = profiles;
    this.onOpen = onOpen;
    this.pick = select || ((e) => (e.desk ? null : e));
    this.entryOf = entryOf || ((m) => ownEntryOf(me, m));
    this.groups = new GroupDirectory();
    this.own = own || ((m) => String(m.from_uid) === String(me.uid));
    this.entries = new Map();
    this.openKey = null;
  }

  /** Loads GET /api/conversations; returns the newest message id among them (0 when none). */
  async load() {
    const body = await api('/api/conversations');
    const list = body.conversations.map(normalize).map(this.pick).filter(Boolean);
    list.forEach((c) => c.user && this.profiles.remember(c.user));
    list.forEach((c) => this.entries.set(c.key, c));
    this.render();
    return newestId(list);
  }

  /** The entry of a conversation ({peer} or {group, name}), created empty when it has no message yet. */
  ensure(conversation) {
    const key = conversationKey(conversation);
    if (!this.entries.has(key)) {
      this.entries.set(key, { last: null, unread: 0, ...conversation, key });
      this.render();
    }
    return this.entries.get(key);
  }

  /** A message from the channel: becomes the last message of its conversation, counted unread unless open. */
  async onMessage(message, paneShowsIt) {
    const fresh = await this.entryOf(message);
    if (!fresh) return;
    const key = fresh.key;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { last: null, unread: 0, ...fresh };
      if (entry.group) {
        // A room not in the list: joined on another page, or left (sync still returns one's own old messages).
        const group = await this.groups.get(entry.group);
        if (!group || !group.member) return;
        entry.name = group.name;
      }
      if (entry.peer) await this.profiles.load([entry.peer]);
      if (this.entries.has(key)) entry = this.entries.get(key); // added while the profile loaded
      this.entries.set(key, entry);
    }
    if (!entry.last || Number(message.id) > Number(entry.last.id)) entry.last = message;
    if (!this.own(message) && !paneShowsIt) entry.unread += 1;
    this.render();
  }

  /** The open conversation has been read up to its newest message. */
  markRead(key) {
    const entry = this.entries.get(key);
    if (entry && entry.unread !== 0) {
      entry.unread = 0;
      this.render();
    }
  }

  highlight(key) {
    this.openKey = key;
    this.render();
  }

  render() {
    const sorted = [...this.entries.values()].sort((a, b) =>
      (b.last ? Number(b.last.id) : 0) - (a.last ? Number(a.last.id) : 0));
    this.root.replaceChildren(...sorted.map((c) => this.item(c)));
  }

  item(c) {
    const user = c.peer ? (c.user || this.profiles.known(c.peer)) : null;
    const name = user ? (user.nickname || user.username || user.uid) : c.name;
    const badge = el('span', { className: 'badge', text: c.unread > 99 ? '99+' : c.unread,
      attrs: { hidden: c.unread === 0, 'aria-label': c.unread + ' unread' } });
    const li = el('li', { className: 'conv' + (c.key === this.openKey ? ' open' : ''),
      attrs: { 'data-key': c.key, 'data-peer': c.peer, 'data-unread': c.unread, tabindex: 0, role: 'button' },
      on: { click: () => this.onOpen(c), keydown: (e) => { if (e.key === 'Enter') this.onOpen(c); } } },
      user ? avatar(user) : el('span', { className: 'avatar avatar-md avatar-letter group', text: '#' }),
      el('span', { className: 'conv-text' },
        el('span', { className: 'conv-name', text: name }),
        el('span', { className: 'conv-last', text: c.last ? preview(c.last) : '' })),
      el('span', { className: 'conv-side' },
        el('time', { className: 'conv-time', text: c.last ? formatTime(c.last.created_at) : '' }),
        badge));
    return li;
  }
}
