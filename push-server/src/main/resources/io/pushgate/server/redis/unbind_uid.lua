-- ARGV: prefix, client_id, uid. Unbinds only if bound to that uid.
local cid, uid = ARGV[2], ARGV[3]
local key = P .. 'client:' .. cid
if redis.call('HGET', key, 'uid') == uid then
  redis.call('HDEL', key, 'uid')
  index_remove('uid:', 'uids', uid, cid)
end
return 1
