-- ARGV: prefix, group. The distinct uids bound to its members.
local seen, result = {}, {}
for _, cid in ipairs(redis.call('SMEMBERS', P .. 'group:' .. ARGV[2])) do
  local uid = redis.call('HGET', P .. 'client:' .. cid, 'uid')
  if uid and not seen[uid] then
    seen[uid] = true
    result[#result + 1] = uid
  end
end
return result
