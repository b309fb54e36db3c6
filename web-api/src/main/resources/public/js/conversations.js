// The conversation list of the chat page: avatar, name, last message, unread badge, newest first; kept live
// from the push channel.
import { api } from './pushgate.js';
import { el, avatar, formatTime, preview } from './ui.js';
import { conversationKey } from './pane.js';

/** Reads one entry of GET /api/conversations into {key, peer?, group?, name, user?, last, unread}. */
export function normalize(entry) {
  const last = entry.last_message || entry.message || null;
  const groupId = entry.group_id ?? (entry.group && (entry.group.group_id ?? entry.group.id));
  if (groupId != null) {
    return { key: 'g:' + groupId, group: String(groupId),
      name: entry.name || (entry.group && entry.group.name) || 'Group ' + groupId,
      last, unread: Number(entry.unread ?? entry.unread_count ?? 0) };
  }
  const peerUser = typeof entry.peer === 'object' && entry.peer !== null ? entry.peer : null;
  const peer = String(peerUser ? peerUser.uid : (entry.peer ?? entry.peer_uid ?? entry.uid));
  // A desk entry (shown to agents) is a customer's conversation with the support account.
  const desk = Boolean(entry.desk);
  return { key: (desk ? 'd:' : 'u:') + peer, peer, desk, user: peerUser, last,
    unread: Number(entry.unread ?? entry.unread_count ?? 0) };
}

/** The newest message id the caller can see, from GET /api/conversations (0 when none): where a page's sync starts. */
export async function newestMessageId() {
  const body = await api('/api/conversations');
  const list = Array.isArray(body) ? body : (body && body.conversations) || [];
  return list.map(normalize).reduce((max, c) => Math.max(max, c.last ? Number(c.last.id) : 0), 0);
}

/** Group rooms by id from GET /api/groups ({name, member}), fetched again when an unknown id turns up. */
export class GroupDirectory {
  constructor() {
    this.byId = new Map();
    this.loading = null;
  }

  async get(gid) {
    const key = String(gid);
    if (!this.byId.has(key)) {
      this.loading = this.loading || api('/api/groups').then((body) => {
        ((body && body.groups) || []).forEach((g) => this.byId.set(String(g.group_id ?? g.id), g));
      }).catch(() => {}).finally(() => { this.loading = null; });
      await this.loading;
    }
    return this.byId.get(key) || null;
  }
}

export class ConversationList {
  /**
   * @param {HTMLElement} root  an <ul> the list fills
   * @param {object} deps  { me, profiles, onOpen(entry) } and, to show another set of conversations (the desk):
   *   select(entry) → the entry to show or null; keyOf(message) → its entry's key or null to ignore it;
   *   newEntry(message, key) → a fresh entry; own(message) → true when it was sent from this side.
   *   By default the list shows the caller's own 1:1 conversations and groups.
   */
  constructor(root, { me, profiles, onOpen, select, keyOf, newEntry, own }) {
    this.root = root;
    this.me = me;
    this.profiles = profiles;
    this.onOpen = onOpen;
    this.pick = select || ((e) => (e.desk ? null : e));
    // Desk traffic that reaches an agent (neither side is the agent) belongs on the desk page.
    this.keyOf = keyOf || ((m) => (m.group_id == null && String(m.from_uid) !== String(me.uid)
      && String(m.to_uid) !== String(me.uid) ? null : conversationKey(me, m)));
    this.newEntry = newEntry || ((m, key) => (m.group_id != null
      ? { key, group: String(m.group_id), name: 'Group ' + m.group_id }
      : { key, peer: key.slice(2) }));
    this.groups = new GroupDirectory();
    this.own = own || ((m) => String(m.from_uid) === String(me.uid));
    this.entries = new Map();
    this.openKey = null;
  }

  /** Loads GET /api/conversations; returns the newest message id among them (0 when none). */
  async load() {
    const body = await api('/api/conversations');
    const list = (Array.isArray(body) ? body : (body && body.conversations) || []).map(normalize)
      .map(this.pick).filter(Boolean);
    list.forEach((c) => c.user && this.profiles.remember(c.user));
    await this.profiles.load(list.filter((c) => c.peer && !c.user).map((c) => c.peer));
    list.forEach((c) => this.entries.set(c.key, c));
    this.render();
    return list.reduce((max, c) => Math.max(max, c.last ? Number(c.last.id) : 0), 0);
  }

  /** The entry for a key, created empty when the conversation has no message yet. */
  ensure(entry) {
    if (!this.entries.has(entry.key)) {
      this.entries.set(entry.key, { last: null, unread: 0, ...entry });
      this.render();
    }
    return this.entries.get(entry.key);
  }

  /** A message from the channel: becomes the last message of its conversation, counted unread unless open. */
  async onMessage(message, paneShowsIt) {
    const key = await this.keyOf(message);
    if (!key) return;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { last: null, unread: 0, ...this.newEntry(message, key) };
      if (entry.group) {
        // A room not in the list: joined on another page, or left (sync still returns one's own old messages).
        const group = await this.groups.get(entry.group);
        if (!group || group.member === false) return;
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
