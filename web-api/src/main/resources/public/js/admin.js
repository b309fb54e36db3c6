// The admin dashboard: GET /api/admin/online every few seconds: online users with nicknames and connection
// counts, groups, and the push-server's stats.
import { api, homeFor, requireUser } from './pushgate.js';
import { el, avatar, header } from './ui.js';

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

/** Reads the users part: a list of {uid, nickname, headimgurl?, connections} (or a map uid → entry). */
function usersOf(body) {
  const raw = body.uids ?? body.users ?? body.online ?? [];
  const list = Array.isArray(raw) ? raw : Object.entries(raw).map(([uid, v]) => ({ uid, ...v }));
  return list.map((u) => ({ ...(u.user || {}), ...u,
    connections: u.connections ?? u.connection_count ?? u.client_count ?? (u.client_ids ? u.client_ids.length : null) }));
}

/** Reads the groups part: {"group": count} or a list of {group, count}. */
function groupsOf(body) {
  const raw = body.groups ?? {};
  if (Array.isArray(raw)) return raw.map((g) => [String(g.name ?? g.group ?? g.group_id), g.count ?? g.clients ?? g.connections]);
  return Object.entries(raw);
}

// Push groups are named by web-api: g:<group_id> for a room, desk for the agents. Rooms get their names.
const roomNames = new Map();
async function loadRoomNames(groups) {
  if (groups.every(([name]) => !name.startsWith('g:') || roomNames.has(name))) return;
  try {
    const body = await api('/api/groups');
    ((body && body.groups) || []).forEach((g) => roomNames.set('g:' + (g.group_id ?? g.id), g.name));
  } catch { /* ids only */ }
}

function groupLabel(name) {
  if (name === 'desk') return 'desk (agents)';
  return roomNames.has(name) ? `${roomNames.get(name)} (${name})` : name;
}

function render(body) {
  const users = usersOf(body);
  document.getElementById('user-count').textContent = String(users.length);
  usersBody.replaceChildren(...users.map((u) => el('tr', { attrs: { 'data-uid': u.uid } },
    el('td', {}, avatar(u, 'sm')),
    el('td', { className: 'nickname', text: u.nickname ?? u.username ?? '' }),
    el('td', { text: u.uid }),
    el('td', { className: 'connections', text: u.connections ?? '' }))));
  if (users.length === 0) usersBody.replaceChildren(el('tr', {}, el('td', { text: 'Nobody', attrs: { colspan: 4 } })));
  groupsBody.replaceChildren(...groupsOf(body).map(([name, count]) => el('tr', { attrs: { 'data-group': name } },
    el('td', { text: groupLabel(name) }), el('td', { text: count }))));
  const s = body.stats || {};
  stats.replaceChildren(...Object.entries(s).flatMap(([k, v]) => [
    el('dt', { text: k.replaceAll('_', ' ') }),
    el('dd', { text: typeof v === 'object' && v !== null ? JSON.stringify(v) : v })]));
}

async function refresh() {
  try {
    const body = await api('/api/admin/online');
    await loadRoomNames(groupsOf(body));
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
