package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RateLimiter} backend promises, on the real clock: each backend's test extends this and says
 * how its limiters are built.
 */
public abstract class RateLimiterContract {

    /** Builds limiters of the backend under test, each test's keys apart from every other test's. */
    protected abstract RateLimiter.Factory buckets();

    @Test
    void theBurstPassesThenEachKeyIsRefused429WithRetryAfter() {
        RateLimiter limiter = buckets().create("things", "things", 0.1, 3);
        for (int i = 0; i < 3; i++) {
            limiter.acquire("k");
        }
        ApiException limited = assertThrows(ApiException.class, () -> limiter.acquire("k"));
        assertEquals(429, limited.status());
        assertEquals("rate_limited", limited.code());
        long retryAfter = Long.parseLong(limited.headers().get("Retry-After"));
        assertTrue(retryAfter >= 9 && retryAfter <= 10, "a token every 10 s, Retry-After " + retryAfter);
        assertTrue(limited.getMessage().contains("too many things"), limited.getMessage());
        limiter.acquire("other"); // another key has its own bucket
        limiter.acquire(42L);
    }

    @Test
    void anEmptyBucketRefillsAtItsRate() throws InterruptedException {
        RateLimiter limiter = buckets().create("fast", "fast things", 20, 1);
        limiter.acquire("k");
        assertThrows(ApiException.class, () -> limiter.acquire("k"));
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(2);
        while (true) { // a token every 50 ms
            try {
                limiter.acquire("k");
                break;
            } catch (ApiException refused) {
                assertTrue(System.nanoTime() < deadline, "no token within 2 s at 20/s");
                Thread.sleep(10); // polling the bucket, bounded by the deadline above
            }
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(tookMs < 500, "refilled after " + tookMs + " ms at 20/s");
    }

    @Test
    void refundGivesOneTokenBackAndResetTheWholeBurst() {
        RateLimiter limiter = buckets().create("att", "attempts", 0.001, 2);
        limiter.acquire("k");
        limiter.acquire("k");
        assertThrows(ApiException.class, () -> limiter.acquire("k"));
        limiter.refund("k");
        limiter.acquire("k");
        assertThrows(ApiException.class, () -> limiter.acquire("k"));
        limiter.reset("k");
        limiter.acquire("k");
        limiter.acquire("k");
        assertThrows(ApiException.class, () -> limiter.acquire("k"));
    }

    @Test
    void limitersOfDifferentKindsDoNotShareBuckets() {
        RateLimiter sends = buckets().create("a", "sends", 0.001, 1);
        RateLimiter binds = buckets().create("b", "binds", 0.001, 1);
        sends.acquire("k");
        binds.acquire("k");
        assertThrows(ApiException.class, () -> sends.acquire("k"));
    }
}
