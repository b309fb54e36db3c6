package io.pushgate.webapi.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A named token bucket per key: {@code burst} actions at once, refilled at {@code perSecond}. {@link #acquire}
 * answers 429 {@code rate_limited} with a Retry-After (whole seconds, at least 1) when the bucket is empty.
 *
 * <p>Keys are strings (a uid, a username, an address), so that the buckets can later live in a shared store
 * under {@code <name>:<key>}. Memory is bounded: past {@value #MAX_KEYS} keys, full buckets (the same as no
 * bucket) are dropped, and if that is not enough, arbitrary ones, so a caller cycling keys cannot grow the map.
 * Every web-api instance has its own buckets for now.
 */
public final class RateLimiter {
    static final int MAX_KEYS = 100_000;

    private final String name;
    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param name      what is limited, in the plural (it names the limit in the 429's message: "too many reads")
     * @param perSecond the sustained rate, > 0
     * @param burst     how many at once, >= 1
     * @param nanoTime  the clock ({@code System::nanoTime})
     */
    public RateLimiter(String name, double perSecond, int burst, LongSupplier nanoTime) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name is required");
        }
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("perSecond must be > 0 and burst >= 1");
        }
        this.name = name;
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** What this limiter counts, e.g. {@code messages}. */
    public String name() {
        return name;
    }

    /** Takes one token from a user's bucket or throws 429. */
    public void acquire(long uid) {
        acquire(Long.toString(uid));
    }

    /** Takes one token from {@code key}'s bucket or throws 429. */
    public void acquire(String key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= MAX_KEYS) {
            shrink(now);
        }
        double wait = buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now);
        if (wait > 0) {
            long retryAfter = Math.max(1, (long) Math.ceil(wait));
            throw new ApiException(429, "rate_limited", "too many " + name + "; retry in " + retryAfter + " s",
                    Map.of("Retry-After", Long.toString(retryAfter)));
        }
    }

    /** Gives {@code key} its whole burst again (a login that succeeded forgives the failures before it). */
    public void reset(String key) {
        buckets.remove(key);
    }

    /** Gives back the token an action took (it turned out not to count, e.g. a login that succeeded). */
    public void refund(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            bucket.refund(nanoTime.getAsLong());
        }
    }

    /** How many keys have a bucket. */
    int size() {
        return buckets.size();
    }

    private void shrink(long now) {
        buckets.values().removeIf(b -> b.isFull(now)); // a full bucket is the same as no bucket
        Iterator<Bucket> it = buckets.values().iterator();
        for (int excess = buckets.size() - MAX_KEYS * 3 / 4; excess > 0 && it.hasNext(); excess--) {
            it.next();
            it.remove();
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

        synchronized void refund(long now) {
            refill(now);
            tokens = Math.min(burst, tokens + 1);
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
