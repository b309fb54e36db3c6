-- ARGV: prefix, client_id, group.
local cid, group = ARGV[2], ARGV[3]
if redis.call('SREM', P .. 'client:' .. cid .. ':groups', group) == 1 then
  index_remove('group:', 'groups', group, cid)
end
return 1
