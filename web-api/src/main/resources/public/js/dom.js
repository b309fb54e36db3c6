// DOM helpers shared by the pages. User content only ever goes in as text (textContent) or as a checked URL in
// an attribute; nothing here parses HTML.

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

/** Replaces a node's children, skipping null and false (replaceChildren would show them as text). */
export function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
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

/** Shows a short notice at the bottom of the page. */
export function toast(text) {
  const box = el('div', { className: 'toast', text, attrs: { role: 'status' } });
  document.body.append(box);
  setTimeout(() => box.remove(), 4000);
}
