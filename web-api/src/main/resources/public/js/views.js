// The pieces of page the pages share: avatars, product cards, a message's body and the page header.
import { logout } from './pushgate.js';
import { el, fill, safeUrl } from './dom.js';
import { formatPrice } from './format.js';

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

/** A product card (filled in when the product arrives); links to the product page. */
export function productCard(pid, products) {
  const card = el('a', { className: 'product-card', attrs: { href: '/product.html?id=' + encodeURIComponent(pid) } },
    el('span', { className: 'product-title', text: 'Product #' + pid }));
  products.get(pid).then((product) => {
    if (!product) return;
    const src = safeUrl(product.image);
    fill(card,
      src ? el('img', { className: 'product-image', attrs: { src, alt: '' } }) : null,
      el('span', { className: 'product-text' },
        el('span', { className: 'product-title', text: product.title }),
        el('span', { className: 'product-price', text: formatPrice(product.price) })));
  });
  return card;
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
