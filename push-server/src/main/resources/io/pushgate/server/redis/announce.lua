-- ARGV: prefix, node, ttl_ms. Records the heartbeat at Redis's time; 1 when the node was not registered (first
-- announce, or its registration was lost: purged as dead by another node, or Redis lost its data).
redis.call('ZADD', P .. 'beats', now_ms(), ARGV[2])
redis.call('SET', P .. 'node:' .. ARGV[2] .. ':alive', '1', 'PX', ARGV[3])
return redis.call('SADD', P .. 'nodes', ARGV[2])
