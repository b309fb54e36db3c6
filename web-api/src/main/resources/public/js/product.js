// The product page: product.html?id=PID shows one product and "Contact seller", which opens the chat with the
// product's seller offering the product as a card. Without an id it lists the products the API offers.
import { api, ApiError, requireUser } from './pushgate.js';
import { el, safeUrl } from './dom.js';
import { formatPrice } from './format.js';
import { avatar, header } from './views.js';

const me = await requireUser();
header(me, null, '/product.html');
const root = document.getElementById('product-page');
const id = new URLSearchParams(location.search).get('id');

if (id) {
  await showProduct(id);
} else {
  await showList();
}

async function showProduct(pid) {
  let product;
  try {
    product = await api('/api/products/' + encodeURIComponent(pid)); // {pid, title, price, image, seller_uid, seller}
  } catch (e) {
    root.replaceChildren(el('p', { className: 'error', text: e instanceof ApiError && e.status === 404
      ? 'No such product.' : 'The product could not be loaded.' }));
    return;
  }
  document.title = product.title + ' · Pushgate';
  const { seller, seller_uid: sellerUid } = product;
  const src = safeUrl(product.image);
  const isMine = String(sellerUid) === String(me.uid);
  const contact = el('a', { className: 'button', text: isMine ? 'This is your product' : 'Contact seller',
    attrs: { id: 'contact-seller', href: isMine ? null : '/chat.html?peer=' + encodeURIComponent(sellerUid)
      + '&product=' + encodeURIComponent(product.pid), 'aria-disabled': isMine ? 'true' : null } });
  root.replaceChildren(el('article', { className: 'card product' },
    src ? el('img', { className: 'product-hero', attrs: { src, alt: '' } }) : null,
    el('h1', { className: 'product-name', attrs: { id: 'product-title' }, text: product.title }),
    el('p', { className: 'price', text: formatPrice(product.price) }),
    el('p', { className: 'seller' }, avatar(seller, 'sm'),
      el('span', { text: 'Sold by ' }), el('strong', { text: seller.nickname || seller.username })),
    contact));
}

async function showList() {
  let products = [];
  try {
    products = (await api('/api/products')).products;
  } catch { /* the form below still works */ }
  const form = el('form', { className: 'inline-form' },
    el('label', { text: 'Product number ' }, el('input', { attrs: { name: 'id', type: 'number', min: 1, required: true } })),
    el('button', { text: 'Open', attrs: { type: 'submit' } }));
  form.setAttribute('action', '/product.html');
  root.replaceChildren(el('h1', { text: 'Products' }),
    el('ul', { className: 'product-list' }, products.map((p) => el('li', {},
      el('a', { attrs: { href: '/product.html?id=' + encodeURIComponent(p.pid) } },
        el('span', { className: 'product-title', text: p.title }), ' ',
        el('span', { className: 'product-price', text: formatPrice(p.price) }))))),
    form);
}
