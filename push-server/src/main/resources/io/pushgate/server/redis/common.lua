-- Shared by every script. ARGV[1] is the key prefix; keys are built here rather than passed in KEYS because a
-- client's keys are only known once its hash is read (so this needs a standalone Redis, not Redis Cluster).
--   <P>nodes                   set: node ids that announced themselves
--   <P>node:<n>:alive          string with a TTL: the node's heartbeat
--   <P>node:<n>:clients        set: client_ids held by node n        (<P>node:<n> is its pub/sub channel)
--   <P>client:<id>             hash: node, at (connected, epoch ms), uid
--   <P>client:<id>:groups      set: its groups
--   <P>client:<id>:session     hash: session key -> JSON value
--   <P>uid:<uid>, <P>group:<g> sets: client_ids
--   <P>uids, <P>groups         hashes: uid / group -> number of client_ids
local P = ARGV[1]

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
    redis.call('DEL', P .. 'node:' .. node .. ':alive')
    redis.call('SREM', P .. 'nodes', node)
  end
  return #popped
end

-- One script = this prelude + the body below it.
