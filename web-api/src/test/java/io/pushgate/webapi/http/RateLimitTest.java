package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void sendingPastTheBurstIs429WithRetryAfter() {
        try (TestStack stack = TestStack.start(Map.of("RATE_LIMIT_BURST", "3", "RATE_LIMIT_PER_SECOND", "0.1"))) {
            User a = stack.newUser("buyer");
            User b = stack.newUser("buyer");
            for (int i = 0; i < 3; i++) {
                assertEquals(201, a.send(Map.of("to_uid", b.uid, "type", "text", "content", "m" + i)).status());
            }
            Reply limited = a.send(Map.of("to_uid", b.uid, "type", "text", "content", "one too many"));
            assertEquals(429, limited.status());
            assertEquals("rate_limited", limited.errorCode());
            long retryAfter = Long.parseLong(limited.headers().get("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 10, "Retry-After " + retryAfter);
            assertTrue(limited.body().path("error").path("message").asString().startsWith("too many messages"),
                    limited.toString());
            // per user: b still has its whole burst
            assertEquals(201, b.send(Map.of("to_uid", a.uid, "type", "text", "content", "hi")).status());
        }
    }

    @Test
    void uploadsHaveABudgetOfTheirOwnNamedInThe429() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        try (TestStack stack = TestStack.start(Map.of("RATE_LIMIT_BURST", "2", "RATE_LIMIT_PER_SECOND", "0.1"))) {
            User a = stack.newUser("buyer");
            User b = stack.newUser("buyer");
            for (int i = 0; i < 2; i++) {
                assertEquals(201, a.send(Map.of("to_uid", b.uid, "type", "text", "content", "m" + i)).status());
            }
            for (int i = 0; i < 2; i++) { // sends spent none of the upload budget
                assertEquals(201, a.upload("a.png", "image/png", png).status());
            }
            Reply limited = a.upload("a.png", "image/png", png);
            assertEquals(429, limited.status());
            assertEquals("rate_limited", limited.errorCode());
            assertTrue(limited.body().path("error").path("message").asString().startsWith("too many uploads"),
                    limited.toString());
        }
    }

    @Test
    void bucketRefillsAtTheConfiguredRate() {
        AtomicLong now = new AtomicLong();
        MemoryRateLimiter limiter = new MemoryRateLimiter("things", 2, 2, now::get);
        limiter.acquire(1);
        limiter.acquire(1);
        ApiException limited = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
                () -> limiter.acquire(1));
        assertEquals(429, limited.status());
        assertEquals("1", limited.headers().get("Retry-After"));
        now.addAndGet(500_000_000L); // half a second refills one token at 2/s
        limiter.acquire(1);
        org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> limiter.acquire(1));
        limiter.acquire(2); // another key has its own bucket
        assertTrue(limited.getMessage().contains("too many things"), limited.getMessage());
    }

    @Test
    void keysCyclingPastTheBoundDoNotGrowTheTable() {
        AtomicLong now = new AtomicLong();
        MemoryRateLimiter limiter = new MemoryRateLimiter("attempts", 0.001, 5, now::get);
        for (int i = 0; i < MemoryRateLimiter.MAX_KEYS * 2; i++) {
            limiter.acquire("user" + i); // never full again: only eviction bounds them
        }
        assertTrue(limiter.size() <= MemoryRateLimiter.MAX_KEYS, "keys held: " + limiter.size());
    }
}
