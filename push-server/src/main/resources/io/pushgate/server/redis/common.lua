-- Shared by every script. ARGV[1] is the key prefix; keys are built here rather than passed in KEYS because a
-- client's keys are only known once its hash is read (so this needs a standalone Redis, not Redis Cluster).
--   <P>nodes                   set: node ids that announced themselves
--   <P>beats                   sorted set: node id -> Redis TIME (ms) of its last heartbeat
--   <P>node:<n>:sweeps         hash: last = Redis TIME (ms) of node n's last sweep, since = start of its unbroken
--                              run of sweeps (see sweep.lua)
--   <P>node:<n>:alive          string with a TTL: the heartbeat as nodes of the previous release read it (they
--                              sweep by its expiry); written so they do not purge this release's nodes during a
--                              rolling upgrade, and read only for a node with no entry in <P>beats
--   <P>node:<n>:clients        set: client_ids held by node n        (<P>node:<n> is its pub/sub channel)
--   <P>client:<id>             hash: node, at (connected, epoch ms), uid
--   <P>client:<id>:groups      set: its groups
--   <P>client:<id>:session     hash: session key -> JSON value
--   <P>uid:<uid>, <P>group:<g> sets: client_ids
--   <P>uids, <P>groups         hashes: uid / group -> number of client_ids
local P = ARGV[1]

-- Redis's own clock in ms: every node's heartbeat is judged by this one clock, never by the nodes' clocks.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function index_add(kind, registry, name, cid)
  if redis.call('SADD', P .. kind .. name, cid) == 1 then
    redis.call('HINCRBY', P .. registry, name, 1)
  end
end

local function index_remove(kind, registry, name, cid)
  if redis.call('SREM', P .. kind .. name, cid) == 1 then
    if redis.call('HINCRBY', P .. registry, name, -1) <= 0 then
      redis.call('HDEL', P .. registry, name)
    end
  end
end

local function remove_client(cid)
  local key = P .. 'client:' .. cid
  local node = redis.call('HGET', key, 'node')
  if not node then
    return 0
  end
  local uid = redis.call('HGET', key, 'uid')
  if uid then
    index_remove('uid:', 'uids', uid, cid)
  end
  for _, group in ipairs(redis.call('SMEMBERS', key .. ':groups')) do
    index_remove('group:', 'groups', group, cid)
  end
  redis.call('DEL', key, key .. ':groups', key .. ':session')
  redis.call('SREM', P .. 'node:' .. node .. ':clients', cid)
  return 1
end

-- Removes up to `limit` of the node's clients (a script blocks Redis while it runs, so a big node is purged in
-- several runs); once none is left, the node itself. Returns how many clients were taken off the node.
local function purge_node(node, limit)
  local set = P .. 'node:' .. node .. ':clients'
  local popped = redis.call('SPOP', set, limit)
  for _, cid in ipairs(popped) do
    remove_client(cid)
  end
  if redis.call('SCARD', set) == 0 then
    redis.call('DEL', P .. 'node:' .. node .. ':alive', P .. 'node:' .. node .. ':sweeps')
    redis.call('ZREM', P .. 'beats', node)
    redis.call('SREM', P .. 'nodes', node)
  end
  return #popped
end

-- One script = this prelude + the body below it.
