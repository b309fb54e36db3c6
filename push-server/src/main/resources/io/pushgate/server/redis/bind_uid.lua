-- ARGV: prefix, client_id, uid. 0 when the client is not known.
local cid, uid = ARGV[2], ARGV[3]
local key = P .. 'client:' .. cid
if redis.call('EXISTS', key) == 0 then
  return 0
end
local old = redis.call('HGET', key, 'uid')
if old == uid then
  return 1
end
if old then
  index_remove('uid:', 'uids', old, cid)
end
redis.call('HSET', key, 'uid', uid)
index_add('uid:', 'uids', uid, cid)
return 1
