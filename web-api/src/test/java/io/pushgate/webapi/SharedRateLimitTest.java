package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Two web-api instances on one database and one Redis (REDIS_URL, through a TCP relay this test can stall, and a
 * key prefix of this run's own): one budget per user whichever instance is asked, and a stalled Redis that
 * delays no request beyond the command timeout. Skipped, with the reason, when no Redis answers.
 */
class SharedRateLimitTest {
    static final int BURST = 6;
    static final long REDIS_TIMEOUT_MS = 200;
    static String prefix;
    static TcpProxy redis;
    static TestStack stack;
    static WebApi b;

    @BeforeAll
    static void start() throws IOException {
        try {
            RedisTestSupport.assumeRedis();
        } catch (TestAbortedException noRedis) {
            return; // each test skips with the reason (a skip here would not be reported)
        }
        prefix = RedisTestSupport.newPrefix();
        URI target = URI.create(RedisTestSupport.URI);
        redis = new TcpProxy(target.getHost(), target.getPort());
        redis.start();
        Map<String, String> env = Map.of(
                "REDIS_URL", "redis://127.0.0.1:" + redis.port() + "/0?timeout=" + REDIS_TIMEOUT_MS + "ms",
                "REDIS_KEY_PREFIX", prefix,
                "RATE_LIMIT_BURST", Integer.toString(BURST), "RATE_LIMIT_PER_SECOND", "0.1",
                "LOGIN_ATTEMPTS_PER_USERNAME", "3");
        stack = TestStack.start(env);
        b = stack.startInstance(env);
    }

    @BeforeEach
    void needsRedis() {
        RedisTestSupport.assumeRedis();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (redis != null) {
            redis.close();
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    @Test
    void aUserHasOneSendBudgetWhicheverInstanceIsAsked() {
        User sender = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        int accepted = 0;
        for (int i = 0; i < BURST * 2; i++) {
            User via = i % 2 == 0 ? sender : sender.via(b);
            Reply reply = via.send(Map.of("to_uid", peer.uid, "type", "text", "content", "m" + i));
            if (reply.status() == 201) {
                accepted++;
            } else {
                assertEquals(429, reply.status(), reply.toString());
                long retryAfter = Long.parseLong(reply.headers().get("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 10, "a token every 10 s: Retry-After " + retryAfter);
            }
        }
        assertEquals(BURST, accepted, "one burst across both instances, not one each");
        assertEquals(201, peer.via(b).send(Map.of("to_uid", sender.uid, "type", "text", "content", "hi")).status(),
                "another user has a budget of their own");
    }

    @Test
    void loginAttemptsForOneUsernameAreCountedAcrossInstances() {
        User user = stack.newUser("buyer");
        String username = stack.api.jdbi().withHandle(h -> h.select("SELECT username FROM users WHERE uid = ?",
                user.uid).mapTo(String.class).one());
        Map<String, String> wrong = Map.of("username", username, "password", "wrong");
        assertEquals(401, stack.anonymous().post("/api/login", wrong).status());
        assertEquals(401, stack.anonymous().via(b).post("/api/login", wrong).status());
        assertEquals(401, stack.anonymous().post("/api/login", wrong).status());
        Reply limited = stack.anonymous().via(b).post("/api/login", wrong);
        assertEquals(429, limited.status(), "the fourth attempt, on either instance: " + limited);
        assertTrue(Long.parseLong(limited.headers().get("Retry-After")) >= 1);
    }

    @Test
    void aStalledRedisDelaysNoRequestBeyondTheCommandTimeout() {
        User sender = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        User bystander = stack.newUser("buyer");
        redis.pause();
        try {
            long start = System.nanoTime();
            long slowest = 0;
            int accepted = 0;
            for (int i = 0; i < 8; i++) {
                User via = i % 2 == 0 ? sender : sender.via(b);
                long t0 = System.nanoTime();
                Reply reply = via.send(Map.of("to_uid", peer.uid, "type", "text", "content", "stalled " + i));
                slowest = Math.max(slowest, System.nanoTime() - t0);
                accepted += reply.status() == 201 ? 1 : 0;
                long t1 = System.nanoTime();
                assertEquals(200, bystander.via(i % 2 == 0 ? b : stack.api).get("/api/me").status());
                slowest = Math.max(slowest, System.nanoTime() - t1);
            }
            long totalMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long slowestMs = TimeUnit.NANOSECONDS.toMillis(slowest);
            assertTrue(slowestMs < REDIS_TIMEOUT_MS + 700, "a request took " + slowestMs + " ms with Redis stalled");
            assertTrue(totalMs < 4_000, "16 requests took " + totalMs + " ms with Redis stalled");
            assertEquals(8, accepted, "each instance falls back to its own bucket of " + BURST);
        } finally {
            redis.resume();
        }
        TwoInstancesTest.millisUntil(() -> {
            peer.send(Map.of("to_uid", sender.uid, "type", "text", "content", "back")); // 201 or 429: both ask Redis
            return !RedisTestSupport.keys(prefix + "rl:msg:" + peer.uid).isEmpty();
        }, Duration.ofSeconds(5), "the shared buckets are not used again within 5 s of the resume");
    }
}
