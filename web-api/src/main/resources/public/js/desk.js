// The customer-service desk, for agents: customers' conversations with the support account, coming in live;
// answers go out as the desk (from_desk: true), and every agent sees every answer.
import { homeFor, requireUser, PushChannel } from './pushgate.js';
import { el } from './dom.js';
import { avatar, header } from './views.js';
import { Profiles, Products } from './caches.js';
import { MessagePane, deskConversation } from './pane.js';
import { ConversationList } from './conversations.js';
import { conversationKey } from './conversation-key.js';

const me = await requireUser();
const profiles = new Profiles();
profiles.remember(me);
const isDeskAccount = me.role === 'support';
let supportUid = isDeskAccount ? String(me.uid) : null;

if (me.role !== 'agent' && !isDeskAccount) {
  location.replace(homeFor(me)); // the desk is for agents
  await new Promise(() => {}); // the page is going away: run no further
}

/** The support account's uid, learnt from desk traffic: of a message's two sides, the one whose role is support. */
async function supportOf(m) {
  if (supportUid) return supportUid;
  await profiles.load([m.from_uid, m.to_uid]);
  const side = [m.from_uid, m.to_uid].find((uid) => profiles.known(uid).role === 'support');
  if (side != null) supportUid = String(side);
  return supportUid;
}

/** The list entry of `customer`'s conversation with the desk (`entry`: what the conversation list sent of it). */
function deskEntry(customer, entry = {}) {
  return { ...entry, key: conversationKey({ peer: customer, desk: true }), peer: customer, desk: true };
}

const list = new ConversationList(document.getElementById('conversations'), {
  me, profiles, onOpen: open,
  // Agents get desk entries flagged `desk`; the support account sees its customers as its own 1:1 peers.
  select: (e) => (isDeskAccount ? (e.group || e.desk ? null : deskEntry(e.peer, e)) : (e.desk ? e : null)),
  entryOf: async (m) => {
    if (m.group_id != null || m.to_uid == null) return null;
    const support = await supportOf(m);
    if (support === String(m.from_uid)) return deskEntry(String(m.to_uid));
    if (support === String(m.to_uid)) return deskEntry(String(m.from_uid));
    return null;
  },
  own: (m) => String(m.from_uid) === supportUid,
});
const newest = await list.load();
for (const entry of list.entries.values()) {
  if (!supportUid && entry.last) await supportOf(entry.last);
}

const channel = new PushChannel({ after: newest });
header(me, channel, '/desk.html');
const pane = new MessagePane(document.getElementById('pane'), { me, channel, profiles, products: new Products() });
pane.onRead = (conversation) => list.markRead(conversation.key);
channel.addEventListener('message', (e) => {
  const open = pane.conversation && pane.conversation.contains(e.detail);
  list.onMessage(e.detail, open && document.visibilityState !== 'hidden');
});
channel.start();

async function open(entry) {
  list.highlight(entry.key);
  document.body.classList.add('pane-open');
  const customer = await profiles.get(entry.peer);
  await pane.open(deskConversation(supportUid, entry.peer), [
    el('button', { className: 'back link', text: '‹', attrs: { type: 'button', title: 'Back' },
      on: { click: () => document.body.classList.remove('pane-open') } }),
    avatar(customer, 'sm'),
    el('span', { className: 'pane-name', attrs: { id: 'customer-name' }, text: customer.nickname || customer.username }),
    el('span', { className: 'muted small', text: 'answering as the desk' })]);
}
