// What the pages fetch once and keep for the page's life: profiles, products and group rooms, by id.
import { api } from './pushgate.js';

/** Profiles ({uid, username, nickname, headimgurl, role}) by uid, fetched in batches and kept for the page's life. */
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
        .then((body) => body.users.forEach((u) => this.remember(u)))
        .catch(() => { /* shown as uids */ })
        .finally(() => missing.forEach((u) => this.pending.delete(u)));
      missing.forEach((u) => this.pending.set(u, request));
    }
    await Promise.all(uids.map((u) => this.pending.get(String(u))).filter(Boolean));
  }
}

/** Product cards (GET /api/products/{pid}: {pid, title, price, image, seller_uid, seller}) by id, fetched once each. */
export class Products {
  constructor() {
    this.byId = new Map();
  }

  get(pid) {
    const key = String(pid);
    if (!this.byId.has(key)) {
      this.byId.set(key, api('/api/products/' + encodeURIComponent(key)).catch(() => null));
    }
    return this.byId.get(key);
  }
}

/** Group rooms by id from GET /api/groups ({group_id, name, member, …}), fetched again when an unknown id turns up. */
export class GroupDirectory {
  constructor() {
    this.byId = new Map();
    this.loading = null;
  }

  async get(gid) {
    const key = String(gid);
    if (!this.byId.has(key)) {
      this.loading = this.loading || api('/api/groups').then((body) => {
        body.groups.forEach((g) => this.byId.set(String(g.group_id), g));
      }).catch(() => {}).finally(() => { this.loading = null; });
      await this.loading;
    }
    return this.byId.get(key) || null;
  }
}
