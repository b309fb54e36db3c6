-- ARGV: prefix. Connections held by every node.
local total = 0
for _, node in ipairs(redis.call('SMEMBERS', P .. 'nodes')) do
  total = total + redis.call('SCARD', P .. 'node:' .. node .. ':clients')
end
return total
