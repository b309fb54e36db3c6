-- ARGV: prefix, client_id. {} when not known, else {connected_at, {uid} or {}, groups, session key/value list}.
local key = P .. 'client:' .. ARGV[2]
local at = redis.call('HGET', key, 'at')
if not at then
  return {}
end
local uid = redis.call('HGET', key, 'uid')
return {at, uid and {uid} or {}, redis.call('SMEMBERS', key .. ':groups'), redis.call('HGETALL', key .. ':session')}
