-- ARGV: prefix, group. Every member leaves it at once.
local group = ARGV[2]
for _, cid in ipairs(redis.call('SMEMBERS', P .. 'group:' .. group)) do
  redis.call('SREM', P .. 'client:' .. cid .. ':groups', group)
end
redis.call('DEL', P .. 'group:' .. group)
redis.call('HDEL', P .. 'groups', group)
return 1
