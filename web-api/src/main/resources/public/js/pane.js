// The message pane shared by the chat, group and desk pages: history that pages back when scrolled to the top,
// live messages, sending text, images and product cards, and read receipts on the sender's side.
import { api, ApiError } from './pushgate.js';
import { el, fill, toast } from './dom.js';
import { formatTime } from './format.js';
import { avatar, messageBody } from './views.js';
import { conversationKey } from './conversation-key.js';

const PAGE = 30;

/** A 1:1 conversation with `uid`, seen by `me`. */
export function peerConversation(me, uid) {
  uid = String(uid);
  return {
    key: conversationKey({ peer: uid }),
    peer: uid,
    history: (before) => `/api/messages?peer=${encodeURIComponent(uid)}&limit=${PAGE}` + (before ? `&before=${before}` : ''),
    target: { to_uid: uid },
    readBody: (upTo) => ({ peer: uid, up_to_id: upTo }),
    contains: (m) => m.group_id == null
      && ((String(m.from_uid) === uid && String(m.to_uid) === String(me.uid))
        || (String(m.from_uid) === String(me.uid) && String(m.to_uid) === uid)),
    mine: (m) => String(m.from_uid) === String(me.uid),
    receipts: true,
  };
}

/** A group room. */
export function groupConversation(me, gid) {
  gid = String(gid);
  return {
    key: conversationKey({ group: gid }),
    group: gid,
    history: (before) => `/api/groups/${encodeURIComponent(gid)}/messages?limit=${PAGE}` + (before ? `&before=${before}` : ''),
    target: { group_id: gid },
    readBody: (upTo) => ({ group_id: gid, up_to_id: upTo }),
    contains: (m) => m.group_id != null && String(m.group_id) === gid,
    mine: (m) => String(m.from_uid) === String(me.uid),
    receipts: false,
    showNames: true,
  };
}

/**
 * A customer's conversation with the desk, as an agent sees it: history and read position of the desk
 * (`desk=true`), answers sent as the desk (`from_desk: true`) and shown on this side, like every other agent's.
 */
export function deskConversation(supportUid, customer) {
  const support = String(supportUid);
  customer = String(customer);
  return {
    key: conversationKey({ peer: customer, desk: true }),
    peer: customer,
    history: (before) => `/api/messages?peer=${encodeURIComponent(customer)}&desk=true&limit=${PAGE}`
      + (before ? `&before=${before}` : ''),
    target: { to_uid: customer, from_desk: true },
    readBody: (upTo) => ({ peer: customer, up_to_id: upTo, desk: true }),
    contains: (m) => m.group_id == null
      && ((String(m.from_uid) === customer && String(m.to_uid) === support)
        || (String(m.from_uid) === support && String(m.to_uid) === customer)),
    mine: (m) => String(m.from_uid) === support,
    receipts: true,
    senderLabel: (m) => (String(m.from_uid) === support ? 'Desk' : null),
  };
}

/** A random id for client_msg_id (crypto.randomUUID needs a secure context; getRandomValues does not). */
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class MessagePane {
  /**
   * @param {HTMLElement} root  the pane's element; the pane fills it
   * @param {object} deps  { me, channel, profiles, products }
   */
  constructor(root, { me, channel, profiles, products }) {
    this.root = root;
    this.me = me;
    this.channel = channel;
    this.profiles = profiles;
    this.products = products;
    this.conversation = null;
    this.byId = new Map();
    this.readUpTo = 0; // the peer has read my messages up to this id (1:1 only), from read frames
    this.hasMore = false;
    this.loadingOlder = false;
    this.pendingProduct = null;
    this.onRead = null; // called with (conversation, upToId) when this pane marks messages read

    this.title = el('div', { className: 'pane-title' });
    this.list = el('ol', { className: 'messages', attrs: { id: 'messages', 'aria-live': 'polite' } });
    this.list.addEventListener('scroll', () => {
      if (this.list.scrollTop < 40) this.loadOlder();
    });
    this.productBar = el('div', { className: 'product-offer', attrs: { hidden: true } });
    this.input = el('input', { attrs: { id: 'message-input', type: 'text', maxlength: 2000, autocomplete: 'off',
      placeholder: 'Write a message', 'aria-label': 'Message' } });
    this.file = el('input', { attrs: { type: 'file', accept: 'image/png,image/jpeg,image/gif,image/webp',
      id: 'image-input', hidden: true } });
    this.file.addEventListener('change', () => this.sendImage());
    this.form = el('form', { className: 'composer', attrs: { id: 'composer' } },
      el('button', { className: 'icon', text: '+', attrs: { type: 'button', title: 'Send an image', 'aria-label': 'Send an image', id: 'image-button' },
        on: { click: () => this.file.click() } }),
      this.file, this.input,
      el('button', { text: 'Send', attrs: { type: 'submit', id: 'send' } }));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendText();
    });
    this.empty = el('div', { className: 'pane-empty', text: 'Choose a conversation' });
    root.replaceChildren(this.empty);

    channel.addEventListener('message', (e) => this.add(e.detail));
    channel.addEventListener('read', (e) => this.onReceipt(e.detail));
    document.addEventListener('visibilitychange', () => this.markRead());
  }

  /** Opens a conversation: header element, then its latest page of history. */
  async open(conversation, headerContent) {
    this.conversation = conversation;
    this.byId.clear();
    this.readUpTo = 0;
    this.hasMore = false;
    this.list.replaceChildren();
    fill(this.title, headerContent || []);
    this.root.replaceChildren(this.title, this.list, this.productBar, this.form);
    this.root.dataset.conversation = conversation.key;
    this.setProductOffer(null);
    const page = await api(conversation.history(null));
    if (this.conversation !== conversation) return;
    await this.insert(page.messages || []);
    this.hasMore = Boolean(page.has_more);
    this.scrollToBottom();
    this.markRead();
    this.input.focus();
    this.fillScreen();
  }

  /** With no scroll bar there is no scrolling up: load older pages until there is one, or none is left. */
  async fillScreen() {
    while (this.hasMore && this.list.scrollHeight <= this.list.clientHeight && !this.loadingOlder) {
      const before = this.byId.size;
      await this.loadOlder();
      if (this.byId.size === before) return;
    }
  }

  /** Offers one product to send as a card (the product page's "contact seller"). */
  setProductOffer(product) {
    this.pendingProduct = product;
    if (!product) {
      this.productBar.hidden = true;
      this.productBar.replaceChildren();
      return;
    }
    this.productBar.hidden = false;
    this.productBar.replaceChildren(
      el('span', { text: 'Ask about: ' }), el('strong', { text: product.title }),
      el('button', { text: 'Send product', attrs: { type: 'button', id: 'send-product' },
        on: { click: () => this.send('product', String(product.pid)).then(() => this.setProductOffer(null)) } }),
      el('button', { className: 'link', text: '✕', attrs: { type: 'button', title: 'Dismiss' },
        on: { click: () => this.setProductOffer(null) } }));
  }

  /** A message from the channel or a send: shown when it belongs to the open conversation. */
  add(message) {
    if (!this.conversation || !this.conversation.contains(message)) return;
    const nearBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    this.insert([message]).then(() => {
      if (nearBottom || this.conversation.mine(message)) this.scrollToBottom();
      this.markRead();
    });
  }

  async loadOlder() {
    if (!this.hasMore || this.loadingOlder || !this.conversation) return;
    const conversation = this.conversation;
    const oldest = Math.min(...this.byId.keys());
    this.loadingOlder = true;
    try {
      const page = await api(conversation.history(oldest));
      if (this.conversation !== conversation) return;
      const before = this.list.scrollHeight;
      await this.insert(page.messages || []);
      this.hasMore = Boolean(page.has_more);
      this.list.scrollTop += this.list.scrollHeight - before; // keep the reader's place
    } finally {
      this.loadingOlder = false;
    }
  }

  /** Adds messages in id order, skipping ids already shown. */
  async insert(messages) {
    const fresh = messages.filter((m) => !this.byId.has(Number(m.id)));
    await this.profiles.load(fresh.map((m) => m.from_uid));
    for (const m of fresh) {
      const id = Number(m.id);
      if (this.byId.has(id)) continue;
      const node = this.render(m);
      this.byId.set(id, { message: m, node });
      const after = [...this.list.children].find((li) => Number(li.dataset.id) > id);
      this.list.insertBefore(node, after || null);
    }
    this.showReceipts();
  }

  render(m) {
    const mine = this.conversation.mine(m);
    const sender = this.profiles.known(m.from_uid);
    const meta = el('span', { className: 'msg-meta' }, el('time', { text: formatTime(m.created_at),
      attrs: { datetime: m.created_at } }));
    if (mine && this.conversation.receipts) meta.append(el('span', { className: 'receipt', text: 'Sent' }));
    const label = this.conversation.senderLabel ? this.conversation.senderLabel(m, sender)
      : (this.conversation.showNames && !mine ? sender.nickname : null);
    return el('li', { className: 'msg ' + (mine ? 'mine' : 'theirs'),
      attrs: { 'data-id': m.id, 'data-from': m.from_uid, 'data-type': m.type } },
      mine ? null : avatar(sender, 'sm'),
      el('div', { className: 'bubble' },
        label ? el('span', { className: 'msg-sender', text: label }) : null,
        messageBody(m, this.products), meta));
  }

  onReceipt(frame) {
    if (!this.conversation || !this.conversation.receipts) return;
    if (String(frame.peer) !== this.conversation.peer) return; // peer: who read
    this.readUpTo = Math.max(this.readUpTo, Number(frame.up_to_id));
    this.showReceipts();
  }

  showReceipts() {
    if (!this.conversation || !this.conversation.receipts) return;
    for (const [id, { message, node }] of this.byId) {
      if (!this.conversation.mine(message)) continue;
      const receipt = node.querySelector('.receipt');
      const read = id <= this.readUpTo;
      if (receipt && read && receipt.textContent !== 'Read') {
        receipt.textContent = 'Read';
        receipt.classList.add('read');
      }
    }
  }

  /** Tells the API the newest message from the other side has been read, when the page is in view. */
  async markRead() {
    if (!this.conversation || document.visibilityState === 'hidden') return;
    const conversation = this.conversation;
    let newest = 0;
    for (const [id, { message }] of this.byId) {
      if (!conversation.mine(message) && id > newest) newest = id;
    }
    if (newest === 0 || newest <= (conversation.markedUpTo || 0)) return;
    conversation.markedUpTo = newest;
    try {
      await api('/api/messages/read', { method: 'POST', body: conversation.readBody(newest) });
      if (this.onRead) this.onRead(conversation, newest);
    } catch {
      conversation.markedUpTo = 0; // try again with the next message
    }
  }

  sendText() {
    const text = this.input.value.trim();
    if (!text) return;
    this.send('text', text).then((ok) => {
      if (ok) this.input.value = '';
    });
  }

  async sendImage() {
    const file = this.file.files[0];
    this.file.value = '';
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    try {
      const body = await api('/api/uploads', { method: 'POST', body: form });
      await this.send('image', body.url);
    } catch (e) {
      toast(e instanceof ApiError ? `Upload refused: ${e.message}` : 'Upload failed');
    }
  }

  /** Sends one message; true when the API stored it. */
  async send(type, content) {
    if (!this.conversation) return false;
    const body = { ...this.conversation.target, type, content, client_msg_id: randomId() };
    for (let tries = 0; tries < 3; tries++) {
      try {
        const res = await api('/api/messages', { method: 'POST', body });
        if (res && res.message) this.channel.accept(res.message);
        if (res && typeof res.recipient_online === 'boolean' && this.onPresence) {
          this.onPresence(this.conversation, res.recipient_online);
        }
        return true;
      } catch (e) {
        if (e instanceof ApiError && e.status === 429) {
          const wait = Math.min(10, Number(e.retryAfter) || 1);
          toast(`Slow down: sending again in ${wait}s`);
          await new Promise((r) => setTimeout(r, wait * 1000));
          continue; // same client_msg_id: the API stores it once
        }
        if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
          toast(`Not sent: ${e.message}`);
          return false;
        }
        if (tries === 2) {
          toast('Not sent: the server did not answer');
          return false;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    return false;
  }

  scrollToBottom() {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
