// DOM helpers shared by the pages. User content only ever goes in as text (textContent) or as a checked URL in
// an attribute; nothing here parses HTML.
import { api, logout } from './pushgate.js';

/**
 * Builds an element: el('div', { className: 'x', text: 'hi', attrs: { 'data-id': 1 }, on: { click: f } }, child…).
 * `text` sets textContent; children may be nodes or strings (added as text nodes); null children are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  for (const [name, value] of Object.entries(props.attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const [type, handler] of Object.entries(props.on || {})) node.addEventListener(type, handler);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i;

/**
 * A URL that is safe to put in an img src or a link: a same-site path, http(s), or (for pictures) an inline image;
 * anything else (javascript:, other data:) gives null. An SVG shown through <img> runs no script.
 */
export function safeUrl(url, { image = true } = {}) {
  if (typeof url !== 'string' || url === '') return null;
  if (/^\/(?![\/\\])/.test(url)) return url; // a path here; '//x' and '/\\x' would be another site
  if (image && DATA_IMAGE.test(url)) return url;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A round avatar: the user's picture, or the first letter of the name when there is none. */
export function avatar(user, size = 'md') {
  const name = (user && (user.nickname || user.username || user.uid)) || '?';
  const src = safeUrl(user && user.headimgurl);
  if (src) {
    const img = el('img', { className: `avatar avatar-${size}`, attrs: { src, alt: '' } });
    img.addEventListener('error', () => img.replaceWith(letterAvatar(name, size)), { once: true });
    return img;
  }
  return letterAvatar(name, size);
}

function letterAvatar(name, size) {
  return el('span', { className: `avatar avatar-${size} avatar-letter`, text: Array.from(String(name))[0] || '?',
    attrs: { 'aria-hidden': 'true' } });
}

/** "14:05" today, "23 Nov 14:05" before. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === new Date().toDateString()) return time;
  return d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' + time;
}

/** The short line a conversation list shows for a message. */
export function preview(message) {
  if (!message) return '';
  switch (message.type) {
    case 'image': return '[image]';
    case 'product': return '[product]';
    default: return String(message.content ?? '');
  }
}

/** A random id for client_msg_id (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Profiles by uid, fetched in batches and kept for the page's life. */
export class Profiles {
  constructor() {
    this.byUid = new Map();
    this.pending = new Map();
  }

  remember(user) {
    if (user && user.uid !== undefined) this.byUid.set(String(user.uid), user);
  }

  /** The profile if already known, else a stand-in with the uid. */
  known(uid) {
    return this.byUid.get(String(uid)) || { uid, nickname: String(uid) };
  }

  async get(uid) {
    await this.load([uid]);
    return this.known(uid);
  }

  /** Loads every uid not yet known with one GET /api/users?ids=… */
  async load(uids) {
    const missing = [...new Set(uids.map(String))].filter((u) => !this.byUid.has(u) && !this.pending.has(u));
    if (missing.length > 0) {
      const request = api('/api/users?ids=' + missing.map(encodeURIComponent).join(','))
        .then((body) => {
          const list = Array.isArray(body) ? body : (body && (body.users || body.profiles)) || [];
          list.forEach((u) => this.remember(u));
        })
        .catch(() => { /* shown as uids */ })
        .finally(() => missing.forEach((u) => this.pending.delete(u)));
      missing.forEach((u) => this.pending.set(u, request));
    }
    await Promise.all(uids.map((u) => this.pending.get(String(u))).filter(Boolean));
  }
}

/** Products by id, fetched once each. */
export class Products {
  constructor() {
    this.byId = new Map();
  }

  get(pid) {
    const key = String(pid);
    if (!this.byId.has(key)) {
      this.byId.set(key, api('/api/products/' + encodeURIComponent(key))
        .then((body) => (body && body.product) || body)
        .catch(() => null));
    }
    return this.byId.get(key);
  }
}

/** Replaces a node's children, skipping null and false (replaceChildren would show them as text). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

/** A product card (filled in when the product arrives); links to the product page. */
export function productCard(pid, products) {
  const card = el('a', { className: 'product-card', attrs: { href: '/product.html?id=' + encodeURIComponent(pid) } },
    el('span', { className: 'product-title', text: 'Product #' + pid }));
  products.get(pid).then((product) => {
    if (!product) return;
    const src = safeUrl(product.image || product.image_url);
    fill(card,
      src ? el('img', { className: 'product-image', attrs: { src, alt: '' } }) : null,
      el('span', { className: 'product-text' },
        el('span', { className: 'product-title', text: product.title }),
        el('span', { className: 'product-price', text: formatPrice(product.price) })));
  });
  return card;
}

export function formatPrice(price) {
  if (price === undefined || price === null) return '';
  const n = Number(price);
  return Number.isFinite(n) ? '¥' + n.toFixed(2) : String(price);
}

/** The body of one message: text, an image or a product card. */
export function messageBody(message, products) {
  if (message.type === 'image') {
    const src = safeUrl(message.content, { image: false });
    if (src) {
      return el('a', { className: 'msg-image', attrs: { href: src, target: '_blank', rel: 'noopener' } },
        el('img', { attrs: { src, alt: 'image', loading: 'lazy' } }));
    }
  }
  if (message.type === 'product') return productCard(message.content, products);
  return el('span', { className: 'msg-text', text: message.content });
}

/** Fills the page header: title, navigation for the user's role, connection dot, the user, log out. */
export function header(me, channel, current) {
  const links = [];
  if (me.role === 'admin') links.push(['/admin.html', 'Dashboard']);
  if (me.role === 'agent' || me.role === 'support') links.push(['/desk.html', 'Desk']);
  links.push(['/chat.html', 'Chats'], ['/group.html', 'Groups'], ['/product.html', 'Products']);
  const status = el('span', { className: 'conn conn-connecting', attrs: { id: 'conn', title: 'connecting',
    hidden: !channel } });
  if (channel) {
    channel.addEventListener('status', (e) => {
      status.className = 'conn conn-' + e.detail;
      status.title = e.detail;
      status.dataset.status = e.detail;
    });
  }
  const bar = el('header', { className: 'topbar' },
    el('nav', {}, links.map(([href, label]) =>
      el('a', { text: label, attrs: { href, 'aria-current': href === current ? 'page' : null } }))),
    el('span', { className: 'me' }, status, avatar(me, 'sm'),
      el('span', { className: 'me-name', attrs: { id: 'me-name' }, text: me.nickname || me.username }),
      el('button', { className: 'link', text: 'Log out', attrs: { type: 'button', id: 'logout' },
        on: { click: logout } })));
  document.body.prepend(bar);
}

/** Shows a short notice at the bottom of the page. */
export function toast(text) {
  const box = el('div', { className: 'toast', text, attrs: { role: 'status' } });
  document.body.append(box);
  setTimeout(() => box.remove(), 4000);
}
