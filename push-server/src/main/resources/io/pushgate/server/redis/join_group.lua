-- ARGV: prefix, client_id, group. 0 when the client is not known.
local cid, group = ARGV[2], ARGV[3]
local key = P .. 'client:' .. cid
if redis.call('EXISTS', key) == 0 then
  return 0
end
if redis.call('SADD', key .. ':groups', group) == 1 then
  index_add('group:', 'groups', group, cid)
end
return 1
