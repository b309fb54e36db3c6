package io.pushgate.webapi.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.pushgate.webapi.http.MemoryRateLimiter;
import io.pushgate.webapi.http.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * A {@link RateLimiter} whose buckets live in Redis, shared by every web-api instance on it: a user has one
 * budget whichever instance is asked. A bucket is the hash {@code <prefix>rl:<id>:<key>}; each acquire is one
 * atomic script ({@code token_bucket.lua}) on Redis's own clock, and buckets expire once they would be full
 * again, so idle ones vanish.
 *
 * <p>When Redis fails (times out or is unreachable; see {@link RedisStore}) the limiter fails over to this
 * instance's own buckets rather than refusing or waving everything through: a Redis outage must not stop sends
 * and logins, and the login throttles must not open for brute force. Meanwhile N instances allow N times the
 * budget, as without Redis; the shared buckets take over again once Redis answers.
 */
public final class RedisRateLimiter implements RateLimiter {
    private static final String SCRIPT = script();

    private final RedisStore redis;
    private final String keyPrefix;
    private final String name;
    private final String perSecond;
    private final String burst;
    private final RateLimiter fallback;
    private volatile String sha;

    RedisRateLimiter(RedisStore redis, String keyPrefix, String name, double perSecond, int burst,
                     LongSupplier nanoTime) {
        RateLimiter.checkBudget(name, perSecond, burst);
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.name = name;
        this.perSecond = Double.toString(perSecond);
        this.burst = Integer.toString(burst);
        this.fallback = new MemoryRateLimiter(name, perSecond, burst, nanoTime);
    }

    /** Limiters on {@code redis}, their keys under {@code prefix} (REDIS_KEY_PREFIX), for {@code RateLimits.of}. */
    public static RateLimiter.Factory factory(RedisStore redis, String prefix, LongSupplier nanoTime) {
        return (id, name, perSecond, burst) -> new RedisRateLimiter(redis, prefix + "rl:" + id + ":", name,
                perSecond, burst, nanoTime);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void acquire(String key) {
        Long waitMillis = redis.available() ? run("take", key) : null;
        if (waitMillis == null) {
            fallback.acquire(key);
        } else if (waitMillis > 0) {
            throw RateLimiter.refusal(name, waitMillis / 1000.0);
        }
    }

    @Override
    public void reset(String key) {
        fallback.reset(key);
        if (redis.available()) {
            try {
                redis.commands().del(keyPrefix + key);
            } catch (RedisException e) {
                redis.failed("reset of " + name, e);
            }
        }
    }

    @Override
    public void refund(String key) {
        fallback.refund(key);
        if (redis.available()) {
            run("refund", key);
        }
    }

    /** Runs the bucket script; the milliseconds to wait (0: done), or null when Redis failed. */
    private Long run(String op, String key) {
        String[] keys = {keyPrefix + key};
        try {
            try {
                return redis.commands().evalsha(sha(), ScriptOutputType.INTEGER, keys, perSecond, burst, op);
            } catch (RedisNoScriptException e) { // a restarted Redis forgot it: send it whole, which caches it
                return redis.commands().eval(SCRIPT, ScriptOutputType.INTEGER, keys, perSecond, burst, op);
            }
        } catch (RedisException e) {
            redis.failed(op + " of " + name, e);
            return null;
        }
    }

    private String sha() {
        String known = sha;
        if (known == null) {
            known = redis.commands().scriptLoad(SCRIPT);
            sha = known;
        }
        return known;
    }

    private static String script() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("token_bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("missing script resource token_bucket.lua");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
