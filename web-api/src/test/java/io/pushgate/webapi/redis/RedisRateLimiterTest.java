package io.pushgate.webapi.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RateLimiterContract;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis backend against the shared contract, and what only it promises: one budget for every instance, idle
 * buckets that vanish, and a stalled Redis that delays a request by at most the command timeout.
 */
class RedisRateLimiterTest extends RateLimiterContract {
    private String prefix;
    private RedisStore redis;

    @BeforeEach
    void connect() {
        RedisTestSupport.assumeRedis();
        prefix = RedisTestSupport.newPrefix();
        redis = RedisStore.connect(RedisTestSupport.URI, System::nanoTime);
    }

    @AfterEach
    void disconnect() {
        if (redis != null) {
            redis.close();
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    @Override
    protected RateLimiter.Factory buckets() {
        return RedisRateLimiter.factory(redis, prefix, System::nanoTime);
    }

    @Test
    void twoInstancesShareOneBudget() {
        try (RedisStore other = RedisStore.connect(RedisTestSupport.URI, System::nanoTime)) {
            RateLimiter here = buckets().create("msg", "messages", 0.001, 4);
            RateLimiter there = RedisRateLimiter.factory(other, prefix, System::nanoTime)
                    .create("msg", "messages", 0.001, 4);
            here.acquire("7");
            there.acquire("7");
            here.acquire("7");
            there.acquire("7");
            assertThrows(ApiException.class, () -> here.acquire("7"));
            assertThrows(ApiException.class, () -> there.acquire("7"));
        }
    }

    @Test
    void aBucketExpiresOnceItWouldBeFullAndAFullOneIsDeleted() {
        RateLimiter limiter = buckets().create("msg", "messages", 0.5, 2);
        limiter.acquire("k");
        String key = prefix + "rl:msg:k";
        assertEquals(List.of(key), RedisTestSupport.keys(prefix));
        long ttl = pttl(key);
        assertTrue(ttl > 2000 && ttl <= 3000, "one token at 0.5/s refills in 2 s, plus 1 s: PTTL " + ttl);
        limiter.refund("k"); // full again: the same as no bucket
        assertEquals(List.of(), RedisTestSupport.keys(prefix));
    }

    @Test
    void aStalledRedisDelaysNoRequestBeyondTheTimeoutAndTheLimitFallsBackToThisInstance() throws IOException {
        URI target = URI.create(RedisTestSupport.URI);
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort())) {
            proxy.start();
            try (RedisStore stalling = RedisStore.connect("redis://127.0.0.1:" + proxy.port() + "?timeout=200ms",
                    System::nanoTime)) {
                RateLimiter limiter = RedisRateLimiter.factory(stalling, prefix, System::nanoTime)
                        .create("msg", "messages", 0.001, 3);
                limiter.acquire("k"); // through Redis
                proxy.pause();
                long start = System.nanoTime();
                long slowest = 0;
                for (int i = 0; i < 3; i++) { // this instance's own bucket is full: 3 pass, the 4th does not
                    long t0 = System.nanoTime();
                    limiter.acquire("k");
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                }
                assertThrows(ApiException.class, () -> limiter.acquire("k"), "the fallback still limits");
                long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                long slowestMs = TimeUnit.NANOSECONDS.toMillis(slowest);
                assertTrue(slowestMs < 600, "an acquire took " + slowestMs + " ms with a 200 ms timeout");
                assertTrue(totalMs < 800, "only the first acquire waits for Redis; all four took " + totalMs + " ms");
                proxy.resume();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                RateLimiter fresh = RedisRateLimiter.factory(stalling, prefix, System::nanoTime)
                        .create("msg2", "messages", 0.001, 3);
                while (RedisTestSupport.keys(prefix + "rl:msg2:").isEmpty()) { // back on the shared buckets
                    assertTrue(System.nanoTime() < deadline, "Redis not used again within 5 s of the resume");
                    fresh.acquire("k" + System.nanoTime());
                    sleepBriefly();
                }
            }
        }
    }

    private static long pttl(String key) {
        RedisClient client = RedisClient.create(RedisTestSupport.URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().pttl(key);
        } finally {
            client.shutdown();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(50); // polling for Redis's return, bounded by the caller's deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
