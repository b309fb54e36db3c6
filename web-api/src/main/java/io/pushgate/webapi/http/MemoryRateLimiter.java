package io.pushgate.webapi.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A {@link RateLimiter} in this process's memory: every web-api instance has its own buckets, so N instances
 * together allow N times the budget. The single-instance default (no REDIS_URL), and what the Redis limiter falls
 * back to while Redis does not answer.
 *
 * <p>Memory is bounded: past {@value #MAX_KEYS} keys, full buckets (the same as no bucket) are dropped, and if
 * that is not enough, arbitrary ones, so a caller cycling keys cannot grow the map.
 */
public final class MemoryRateLimiter implements RateLimiter {
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
    public MemoryRateLimiter(String name, double perSecond, int burst, LongSupplier nanoTime) {
        RateLimiter.checkBudget(name, perSecond, burst);
        this.name = name;
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Memory limiters on {@code nanoTime}, for {@link RateLimits#of}. */
    public static RateLimiter.Factory factory(LongSupplier nanoTime) {
        return (id, name, perSecond, burst) -> new MemoryRateLimiter(name, perSecond, burst, nanoTime);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void acquire(String key) {
        long now = nanoTime.getAsLong();
        if (buckets.size() >= MAX_KEYS) {
            shrink(now);
        }
        double wait = buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now);
        if (wait > 0) {
            throw RateLimiter.refusal(name, wait);
        }
    }

    @Override
    public void reset(String key) {
        buckets.remove(key);
    }

    @Override
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
