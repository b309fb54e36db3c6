// The admin dashboard: GET /api/admin/online every few seconds: online users with nicknames and connection
// counts, groups, and the push-server's stats.
import { api, homeFor, requireUser } from './pushgate.js';
import { el } from './dom.js';
import { avatar, header } from './views.js';

const REFRESH_MS = 3000;
const me = await requireUser();
if (me.role !== 'admin') {
  location.replace(homeFor(me)); // the dashboard is for admins (and the API says 403 to anyone else)
  await new Promise(() => {}); // the page is going away: run no further
}
header(me, null, '/admin.html');

const usersBody = document.getElementById('online-users');
const groupsBody = document.getElementById('online-groups');
const stats = document.getElementById('stats');
const error = document.getElementById('dashboard-error');
const updated = document.getElementById('updated');

// GET /api/admin/online answers {uids: [{uid, nickname, connections}], groups: {"<push group>": connections},
// stats: {…}}; nickname is null for a uid web-api does not know. The push groups are named by web-api: g:<group_id>
// for a room, desk for the agents; rooms get their names from GET /api/groups.
const roomNames = new Map();
async function loadRoomNames(groups) {
  if (groups.every(([name]) => !name.startsWith('g:') || roomNames.has(name))) return;
  try {
    const body = await api('/api/groups');
    body.groups.forEach((g) => roomNames.set('g:' + g.group_id, g.name));
  } catch { /* ids only */ }
}

function groupLabel(name) {
  if (name === 'desk') return 'desk (agents)';
  return roomNames.has(name) ? `${roomNames.get(name)} (${name})` : name;
}

function render(body) {
  const users = body.uids;
  document.getElementById('user-count').textContent = String(users.length);
  usersBody.replaceChildren(...users.map((u) => el('tr', { attrs: { 'data-uid': u.uid } },
    el('td', {}, avatar(u, 'sm')),
    el('td', { className: 'nickname', text: u.nickname ?? '' }),
    el('td', { text: u.uid }),
    el('td', { className: 'connections', text: u.connections }))));
  if (users.length === 0) usersBody.replaceChildren(el('tr', {}, el('td', { text: 'Nobody', attrs: { colspan: 4 } })));
  groupsBody.replaceChildren(...Object.entries(body.groups).map(([name, count]) =>
    el('tr', { attrs: { 'data-group': name } }, el('td', { text: groupLabel(name) }), el('td', { text: count }))));
  stats.replaceChildren(...Object.entries(body.stats).flatMap(([k, v]) => [
    el('dt', { text: k.replaceAll('_', ' ') }),
    el('dd', { text: typeof v === 'object' && v !== null ? JSON.stringify(v) : v })]));
}

async function refresh() {
  try {
    const body = await api('/api/admin/online');
    await loadRoomNames(Object.entries(body.groups));
    render(body);
    error.hidden = true;
    updated.textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    error.textContent = e.status === 403 ? 'Only admins can see this page.' : 'Cannot reach the server: ' + e.message;
    error.hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_MS);
  }
}

refresh();
