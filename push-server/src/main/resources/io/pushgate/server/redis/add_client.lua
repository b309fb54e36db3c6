-- ARGV: prefix, client_id, node, connected_at [, uid]. 1 when added, 0 when the client_id is taken.
local cid = ARGV[2]
local key = P .. 'client:' .. cid
if redis.call('EXISTS', key) == 1 then
  return 0
end
redis.call('HSET', key, 'node', ARGV[3], 'at', ARGV[4])
redis.call('SADD', P .. 'node:' .. ARGV[3] .. ':clients', cid)
if #ARGV >= 5 then
  redis.call('HSET', key, 'uid', ARGV[5])
  index_add('uid:', 'uids', ARGV[5], cid)
end
return 1
