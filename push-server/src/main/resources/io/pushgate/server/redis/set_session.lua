-- ARGV: prefix, client_id, replace ('1' replaces, '0' merges), then key, json value pairs. 0 when not known.
local key = P .. 'client:' .. ARGV[2]
if redis.call('EXISTS', key) == 0 then
  return 0
end
if ARGV[3] == '1' then
  redis.call('DEL', key .. ':session')
end
if #ARGV > 3 then
  redis.call('HSET', key .. ':session', unpack(ARGV, 4))
end
return 1
