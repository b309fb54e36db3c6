package io.pushgate.webapi.http;

import java.util.Map;

/**
 * A named token bucket per key: {@code burst} actions at once, refilled at {@code perSecond}. {@link #acquire}
 * answers 429 {@code rate_limited} with a Retry-After (whole seconds, at least 1) when the bucket is empty.
 *
 * <p>Keys are strings (a uid, a username, an address). Two backends: {@link MemoryRateLimiter}, one set of
 * buckets per web-api instance (the single-instance default), and {@code redis.RedisRateLimiter}, one set shared
 * by every instance on the same Redis (REDIS_URL), so a user has one budget whichever instance is asked.
 */
public interface RateLimiter {

    /** What this limiter counts, in the plural (it names the limit in the 429's message: "too many reads"). */
    String name();

    /** Takes one token from a user's bucket or throws 429. */
    default void acquire(long uid) {
        acquire(Long.toString(uid));
    }

    /** Takes one token from {@code key}'s bucket or throws 429. */
    void acquire(String key);

    /** Gives {@code key} its whole burst again (a login that succeeded forgives the failures before it). */
    void reset(String key);

    /** Gives back the token an action took (it turned out not to count, e.g. a login that succeeded). */
    void refund(String key);

    /** Builds the limiter of one kind of action; {@code id} is short and stable (it names shared keys). */
    @FunctionalInterface
    interface Factory {
        RateLimiter create(String id, String name, double perSecond, int burst);
    }

    /** The 429 for a bucket that has a token again in {@code waitSeconds}. */
    static ApiException refusal(String name, double waitSeconds) {
        long retryAfter = Math.max(1, (long) Math.ceil(waitSeconds));
        return new ApiException(429, "rate_limited", "too many " + name + "; retry in " + retryAfter + " s",
                Map.of("Retry-After", Long.toString(retryAfter)));
    }

    /** Fails at once on a budget no bucket can have. */
    static void checkBudget(String name, double perSecond, int burst) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
        }
    }
}
