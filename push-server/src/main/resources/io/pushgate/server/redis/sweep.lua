-- ARGV: prefix, limit. Purges every registered node whose heartbeat expired, up to limit clients each; returns
-- {ids of the dead nodes, how many of them still have clients to purge (call again while > 0)}.
local dead, unfinished = {}, 0
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if redis.call('EXISTS', P .. 'node:' .. node .. ':alive') == 0 then
    purge_node(node, tonumber(ARGV[2]))
    dead[#dead + 1] = node
    if redis.call('SISMEMBER', P .. 'nodes', node) == 1 then
      unfinished = unfinished + 1
    end
  end
end
return {dead, unfinished}
