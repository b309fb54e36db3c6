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
  return { key: 'u:' + peer, peer, user: peerUser, last, unread: Number(entry.unread ?? entry.unread_count ?? 0) };
}

/** The newest message id the caller can see, from GET /api/conversations (0 when none): where a page's sync starts. */
export async function newestMessageId() {
  const body = await api('/api/conversations');
  const list = Array.isArray(body) ? body : (body && body.conversations) || [];
  return list.map(normalize).reduce((max, c) => Math.max(max, c.last ? Number(c.last.id) : 0), 0);
}

export class ConversationList {
  /**
   * @param {HTMLElement} root  an <ul> the list fills
   * @param {object} deps  { me, profiles, onOpen(entry) }
   */
  constructor(root, { me, profiles, onOpen }) {
    this.root = root;
    this.me = me;
    this.profiles = profiles;
    this.onOpen = onOpen;
    this.entries = new Map();
    this.openKey = null;
  }

  /** Loads GET /api/conversations; returns the newest message id among them (0 when none). */
  async load() {
    const body = await api('/api/conversations');
    const list = (Array.isArray(body) ? body : (body && body.conversations) || []).map(normalize);
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
    const key = conversationKey(this.me, message);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = message.group_id != null
        ? { key, group: String(message.group_id), name: 'Group ' + message.group_id, last: null, unread: 0 }
        : { key, peer: key.slice(2), last: null, unread: 0 };
      if (entry.peer) await this.profiles.load([entry.peer]);
      this.entries.set(key, entry);
    }
    if (!entry.last || Number(message.id) > Number(entry.last.id)) entry.last = message;
    const mine = String(message.from_uid) === String(this.me.uid);
    if (!mine && !paneShowsIt) entry.unread += 1;
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

  select(key) {
    this.openKey = key;
    this.render();
  }

  render() {
    const sorted = [...this.entries.values()].sort((a, b) =>
      (b.last ? Number(b.last.id) : Infinity) - (a.last ? Number(a.last.id) : Infinity));
    this.root.replaceChildren(...sorted.map((c) => this.item(c)));
  }

  item(c) {
    const user = c.peer ? (c.user || this.profiles.known(c.peer)) : null;
    const name = user ? (user.nickname || user.username || user.uid) : c.name;
    const badge = el('span', { className: 'badge', text: c.unread > 99 ? '99+' : c.unread,
      attrs: { hidden: c.unread === 0, 'aria-label': c.unread + ' unread' } });
    const li = el('li', { className: 'conv' + (c.key === this.openKey ? ' open' : ''),
      attrs: { 'data-key': c.key, 'data-unread': c.unread, tabindex: 0, role: 'button' },
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
