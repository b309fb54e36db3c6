package io.pushgate.webapi.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code burst} actions at once, refilled at {@code perSecond}. {@link #acquire} answers
 * 429 {@code rate_limited} with a Retry-After (whole seconds, at least 1) when the bucket is empty.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 100_000;

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Takes one token from {@code key}'s bucket or throws 429. */
    public void acquire(long key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() > MAX_KEYS) {
            buckets.values().removeIf(b -> b.isFull(now)); // a full bucket is the same as no bucket
        }
        double wait = buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now);
        if (wait > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            throw new ApiException(429, "rate_limited", "too many messages; retry in " + retryAfter + " s",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }

    private final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        /** Takes a token and returns 0, or returns the seconds until one is available. */
        synchronized double take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (1 - tokens) / perSecond;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - updated) / 1e9 * perSecond);
            updated = now;
        }
    }
}
