-- ARGV: prefix, this node, message, excluded client_id... Publishes the message to every other node holding a
-- connection that is not excluded; returns how many such connections those nodes hold.
local total = 0
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  if node ~= ARGV[2] then
    local set = P .. 'node:' .. node .. ':clients'
    local n = redis.call('SCARD', set)
    for i = 4, #ARGV do
      n = n - redis.call('SISMEMBER', set, ARGV[i])
    end
    if n > 0 and redis.call('PUBLISH', P .. 'node:' .. node, ARGV[3]) > 0 then
      total = total + n
    end
  end
end
return total
