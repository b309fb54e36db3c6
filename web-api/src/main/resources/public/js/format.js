// How the pages write times, prices and the one-line preview of a message.

/** "14:05" today, "23 Nov 14:05" before. */
export function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === new Date().toDateString()) return time;
  return d.toLocaleDateString([], { day: 'numeric', month: 'short' }) + ' ' + time;
}

/** "¥12.50"; a price that is not a number is shown as it came. */
export function formatPrice(price) {
  if (price === undefined || price === null) return '';
  const n = Number(price);
  return Number.isFinite(n) ? '¥' + n.toFixed(2) : String(price);
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
