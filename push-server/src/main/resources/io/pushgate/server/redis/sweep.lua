-- ARGV: prefix, limit, sweeper, dead_after_ms, max_gap_ms. Purges every other registered node whose last heartbeat
-- is more than dead_after_ms behind Redis's clock, up to limit clients each; returns {ids of the dead nodes, how
-- many of them still have clients to purge (call again while > 0)}.
--
-- A heartbeat ages as much while Redis is paused (or the sweeper stalls) as while its node is dead. So the sweeper
-- judges only once its own sweeps have reached Redis without a gap longer than max_gap_ms for dead_after_ms: by
-- then every live node, paused with it, has had the time to beat again, and a node still behind is really silent.
-- A sweeper that runs steadily is past that wait, so a dead node is still purged dead_after_ms after its last beat.
local now, sweeper = now_ms(), ARGV[3]
local dead_after, max_gap = tonumber(ARGV[4]), tonumber(ARGV[5])
local mine = P .. 'node:' .. sweeper .. ':sweeps'
local last = tonumber(redis.call('HGET', mine, 'last'))
local since = tonumber(redis.call('HGET', mine, 'since'))
if not last or not since or now - last > max_gap or now < last then
  since = now -- a gap (or Redis's clock went back): this sweeper's view of the others starts again
end
redis.call('HSET', mine, 'last', now, 'since', since)
local dead, unfinished = {}, 0
if now - since < dead_after then
  return {dead, unfinished}
end
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  local beat = tonumber(redis.call('ZSCORE', P .. 'beats', node))
  local silent
  if beat then
    silent = now - beat > dead_after
  else
    silent = redis.call('EXISTS', P .. 'node:' .. node .. ':alive') == 0
  end
  if node ~= sweeper and silent then
    purge_node(node, tonumber(ARGV[2]))
    dead[#dead + 1] = node
    if redis.call('SISMEMBER', P .. 'nodes', node) == 1 then
      unfinished = unfinished + 1
    end
  end
end
return {dead, unfinished}
