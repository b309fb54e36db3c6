-- One token bucket, atomically. KEYS[1]: the bucket (a hash: tokens, at = Redis time in ms of that count).
-- ARGV[1]: tokens refilled per second; ARGV[2]: burst; ARGV[3]: 'take' or 'refund'.
-- Returns 0 when a token was taken (or given back), else the milliseconds until one is available.
-- The clock is Redis's own TIME, so every web-api instance counts on the same clock whatever their own say.
-- A bucket that refills to full is deleted (a full bucket is the same as no bucket), and every other one
-- expires once it would be full again, so idle buckets vanish.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if ARGV[3] == 'take' then
    if tokens >= 1 then
        tokens = tokens - 1
    else
        wait = math.ceil((1 - tokens) * 1000 / rate)
    end
else
    tokens = math.min(burst, tokens + 1)
end
if tokens >= burst then
    redis.call('DEL', KEYS[1])
else
    redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%d', now))
    redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
end
return wait
