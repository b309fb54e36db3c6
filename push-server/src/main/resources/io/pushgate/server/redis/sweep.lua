-- ARGV: prefix. Purges every registered node whose heartbeat expired; the ids of those purged.
local dead = {}
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if redis.call('EXISTS', P .. 'node:' .. node .. ':alive') == 0 then
    purge_node(node)
    dead[#dead + 1] = node
  end
end
return dead
