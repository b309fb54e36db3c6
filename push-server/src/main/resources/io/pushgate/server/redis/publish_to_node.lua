-- ARGV: prefix, node, message, client_id... Publishes the message on the node's channel if any of the client_ids
-- is registered on that node and the node is subscribed; returns how many of them are registered there (0 when
-- nothing was published).
local set = P .. 'node:' .. ARGV[2] .. ':clients'
local n = 0
for i = 4, #ARGV do
  n = n + redis.call('SISMEMBER', set, ARGV[i])
end
if n == 0 or redis.call('PUBLISH', P .. 'node:' .. ARGV[2], ARGV[3]) == 0 then
  return 0
end
return n
