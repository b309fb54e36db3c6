// The group room page: the rooms the caller may see (public ones, their own, those they are invited to) with
// join / leave, creating a public or private room, inviting to a private room one created, and the open room's
// messages. group.html?group=GID opens that room.
import { api, requireUser, PushChannel } from './pushgate.js';
import { el, toast } from './dom.js';
import { preview } from './format.js';
import { header } from './views.js';
import { Profiles, Products } from './caches.js';
import { MessagePane, groupConversation } from './pane.js';
import { newestMessageId } from './conversations.js';

const me = await requireUser();
const profiles = new Profiles();
profiles.remember(me);
const channel = new PushChannel({ after: await newestMessageId() });
header(me, channel, '/group.html');
const pane = new MessagePane(document.getElementById('pane'), { me, channel, profiles, products: new Products() });
const listRoot = document.getElementById('groups');
let groups = [];

channel.addEventListener('message', (e) => {
  const m = e.detail;
  if (m.group_id == null) return;
  const group = groups.find((g) => g.id === String(m.group_id));
  if (!group || !group.joined) return;
  group.last = m;
  if (!(pane.conversation && pane.conversation.group === group.id) && String(m.from_uid) !== String(me.uid)) {
    group.unread += 1;
  }
  render();
});
pane.onRead = (conversation) => {
  const group = groups.find((g) => g.id === conversation.group);
  if (group) { group.unread = 0; render(); }
};
channel.start();

document.getElementById('new-group').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = document.getElementById('new-group-name');
  const name = input.value.trim();
  if (!name) return;
  const privateRoom = document.getElementById('new-group-private');
  const visibility = privateRoom.checked ? 'private' : 'public';
  let body;
  try {
    body = await api('/api/groups', { method: 'POST', body: { name, visibility } });
  } catch (err) {
    toast(err.message);
    return;
  }
  input.value = '';
  privateRoom.checked = false;
  await channel.rebind();
  await load();
  openRoom(groups.find((g) => g.id === String(body.group_id))); // the answer is the room
});

/**
 * One room of GET /api/groups ({group_id, name, visibility, created_by, member_count, member, invited}); its last
 * message and unread count are the page's own, from the push channel.
 */
function normalize(g) {
  return { id: String(g.group_id), name: g.name, members: g.member_count, joined: g.member, last: null, unread: 0,
    private: g.visibility === 'private', invited: g.invited, createdBy: String(g.created_by) };
}

async function load() {
  const body = await api('/api/groups');
  groups = body.groups.map(normalize).map((room) => { // what the channel brought stays
    const before = groups.find((g) => g.id === room.id);
    return before ? { ...room, last: before.last, unread: before.unread } : room;
  });
  render();
}

function render() {
  const openId = pane.conversation && pane.conversation.group;
  listRoot.replaceChildren(...groups.map((g) => el('li', {
    className: 'conv' + (g.id === openId ? ' open' : ''),
    attrs: { 'data-group': g.id, 'data-unread': g.unread, 'data-visibility': g.private ? 'private' : 'public' } },
    el('span', { className: 'avatar avatar-md avatar-letter group', text: '#' }),
    el('span', { className: 'conv-text', on: { click: () => g.joined && openRoom(g) } },
      el('span', { className: 'conv-name', text: g.name }),
      g.private ? el('span', { className: 'conv-tag muted small', text: g.joined ? 'private' : 'private · invited' })
        : null,
      el('span', { className: 'conv-last', text: g.last ? preview(g.last) : g.members + ' members' })),
    el('span', { className: 'conv-side' },
      el('span', { className: 'badge', text: g.unread, attrs: { hidden: g.unread === 0 } }),
      el('button', { className: 'small', text: g.joined ? 'Leave' : 'Join',
        attrs: { type: 'button', 'data-action': g.joined ? 'leave' : 'join' },
        on: { click: () => toggle(g) } })))));
}

async function toggle(group) {
  const action = group.joined ? 'leave' : 'join';
  try {
    await api(`/api/groups/${encodeURIComponent(group.id)}/${action}`, { method: 'POST' });
  } catch (e) {
    toast(e.message);
    return;
  }
  if (action === 'join') await channel.rebind();
  await load();
  if (action === 'join') openRoom(groups.find((g) => g.id === group.id));
  else if (pane.conversation && pane.conversation.group === group.id) location.assign('/group.html');
}

async function openRoom(group) {
  if (!group) return;
  document.body.classList.add('pane-open');
  await pane.open(groupConversation(me, group.id), [
    el('button', { className: 'back link', text: '‹', attrs: { type: 'button', title: 'Back' },
      on: { click: () => document.body.classList.remove('pane-open') } }),
    el('span', { className: 'avatar avatar-sm avatar-letter group', text: '#' }),
    el('span', { className: 'pane-name', text: group.name }),
    el('span', { className: 'muted', text: ' · ' + group.members + ' members' }),
    group.private && group.createdBy === String(me.uid) ? inviteForm(group) : null]);
  render();
}

/** The creator's form to invite a user (by uid) to a private room. */
function inviteForm(group) {
  const input = el('input', { attrs: { id: 'invite-uid', type: 'number', min: 1, placeholder: 'user id',
    'aria-label': 'User id to invite', required: true } });
  return el('form', { className: 'inline-form', attrs: { id: 'invite-form' }, on: { submit: async (e) => {
    e.preventDefault();
    const uid = Number(input.value);
    if (!Number.isInteger(uid) || uid < 1) return;
    try {
      await api(`/api/groups/${encodeURIComponent(group.id)}/invites`, { method: 'POST', body: { uid } });
      toast('Invited user ' + uid);
      input.value = '';
    } catch (err) {
      toast(err.message);
    }
  } } }, input, el('button', { className: 'small', text: 'Invite', attrs: { type: 'submit', id: 'invite' } }));
}

await load();
const wanted = new URLSearchParams(location.search).get('group');
const first = groups.find((g) => g.id === wanted) || (!wanted && window.innerWidth > 700 && groups.find((g) => g.joined));
if (first && first.joined) await openRoom(first);
