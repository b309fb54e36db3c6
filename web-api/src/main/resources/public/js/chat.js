// The chat page: conversation list on the left, the open conversation on the right (one at a time on a phone).
// chat.html?peer=UID opens a 1:1 conversation, &product=PID offers that product as a card (contact seller);
// chat.html?group=GID opens a group room.
import { pageConfig, requireUser, PushChannel } from './pushgate.js';
import { el } from './dom.js';
import { avatar, header } from './views.js';
import { Profiles, Products } from './caches.js';
import { MessagePane, peerConversation, groupConversation } from './pane.js';
import { ConversationList } from './conversations.js';

const me = await requireUser();
const profiles = new Profiles();
profiles.remember(me);
const products = new Products();
const params = new URLSearchParams(location.search);

const list = new ConversationList(document.getElementById('conversations'), { me, profiles, onOpen: open });
const newest = await list.load();
await offerCustomerService();
const channel = new PushChannel({ after: newest });
header(me, channel, '/chat.html');
const pane = new MessagePane(document.getElementById('pane'), { me, channel, profiles, products });
pane.onRead = (conversation) => list.markRead(conversation.key);
pane.onPresence = (conversation, online) => showPresence(conversation.peer, online);

channel.addEventListener('message', (e) => {
  const message = e.detail;
  const open = pane.conversation && pane.conversation.contains(message);
  list.onMessage(message, open && document.visibilityState !== 'hidden');
  if (open && message.group_id == null && String(message.from_uid) === pane.conversation.peer
      && Date.now() - Date.parse(message.created_at) < 60000) {
    showPresence(message.from_uid, true); // they just wrote
  }
});
channel.start();

/** Keeps the desk in the list for customers, when the API names the support account (config support_uid). */
async function offerCustomerService() {
  try {
    const config = await pageConfig();
    const support = config.support_uid;
    if (support == null || String(support) === String(me.uid) || me.role === 'agent') return;
    await profiles.load([support]);
    list.ensure({ peer: String(support) });
  } catch { /* no desk to offer */ }
}

/** Opens a list entry in the pane. */
async function open(entry) {
  list.highlight(entry.key);
  document.body.classList.add('pane-open');
  const back = el('button', { className: 'back link', text: '‹', attrs: { type: 'button', title: 'Back' },
    on: { click: () => document.body.classList.remove('pane-open') } });
  if (entry.group) {
    await pane.open(groupConversation(me, entry.group),
      [back, el('span', { className: 'avatar avatar-sm avatar-letter group', text: '#' }),
        el('span', { className: 'pane-name', text: entry.name })]);
    return;
  }
  const user = await profiles.get(entry.peer);
  const dot = el('span', { className: 'presence', attrs: { id: 'peer-presence', 'data-online': 'unknown' } });
  await pane.open(peerConversation(me, entry.peer),
    [back, avatar(user, 'sm'), el('span', { className: 'pane-name', attrs: { id: 'peer-name' },
      text: user.nickname || user.username }), dot]);
}

/**
 * The peer's online state, as far as the page learns it: the recipient_online of each send, and a message just
 * received from them (GET /api/users/{uid} says nothing of it). Unknown until then.
 */
function showPresence(uid, online) {
  const dot = document.getElementById('peer-presence');
  if (!dot || !pane.conversation || pane.conversation.peer !== String(uid)) return;
  dot.dataset.online = String(online);
  dot.textContent = online ? 'online' : 'offline';
}

// Deep links: ?peer=…&product=… (contact seller) or ?group=…
if (params.has('peer')) {
  const peer = params.get('peer');
  await profiles.load([peer]);
  await open(list.ensure({ peer }));
  if (params.has('product')) {
    const product = await products.get(params.get('product'));
    if (product) pane.setProductOffer(product);
  }
} else if (params.has('group')) {
  const group = params.get('group');
  await open(list.ensure({ group, name: 'Group ' + group }));
}
