package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login attempts are throttled per username (LOGIN_ATTEMPTS_PER_USERNAME, default 5) and per client address,
 * the same way for usernames that exist and usernames that do not.
 */
class LoginThrottleTest {
    static TestStack stack;

    @BeforeAll
    static void start() {
        // the address budget is tested on a stack of its own: here every attempt comes from 127.0.0.1
        stack = TestStack.start(Map.of("LOGIN_ATTEMPTS_PER_ADDRESS", "1000"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static Reply login(TestStack on, String username, String password) {
        return on.anonymous().post("/api/login", Map.of("username", username, "password", password));
    }

    /** What an attacker sees of the attempts on one username: statuses, messages, and the median time of a 401. */
    private record Seen(List<Integer> statuses, List<String> messages, String retryAfter, long median401Nanos) {
    }

    /**
     * Wrong passwords for each username in turn, each going first every other round (so that warm-up and the
     * first request of a round weigh on all alike).
     */
    private static List<Seen> wrongPasswords(List<String> usernames, int attempts) {
        List<List<Integer>> statuses = new ArrayList<>();
        List<List<String>> messages = new ArrayList<>();
        List<List<Long>> times = new ArrayList<>();
        String[] retryAfter = new String[usernames.size()];
        for (int u = 0; u < usernames.size(); u++) {
            statuses.add(new ArrayList<>());
            messages.add(new ArrayList<>());
            times.add(new ArrayList<>());
        }
        for (int i = 0; i < attempts; i++) {
            for (int k = 0; k < usernames.size(); k++) {
                int u = i % 2 == 0 ? k : usernames.size() - 1 - k; // each goes first in turn
                long began = System.nanoTime();
                Reply reply = login(stack, usernames.get(u), "wrong-" + i);
                long took = System.nanoTime() - began;
                statuses.get(u).add(reply.status());
                // the seconds to wait differ by when the attempt was made, not by the username
                messages.get(u).add(reply.body().path("error").path("message").asString().replaceAll("\\d+", "N"));
                if (reply.status() == 401) {
                    times.get(u).add(took);
                } else {
                    retryAfter[u] = reply.headers().get("Retry-After");
                }
            }
        }
        List<Seen> seen = new ArrayList<>();
        for (int u = 0; u < usernames.size(); u++) {
            List<Long> sorted = new ArrayList<>(times.get(u));
            Collections.sort(sorted);
            seen.add(new Seen(statuses.get(u), messages.get(u), retryAfter[u], sorted.get(sorted.size() / 2)));
        }
        return seen;
    }

    @Test
    void knownAndUnknownUsernamesAreThrottledAlike() {
        List<Seen> seen = wrongPasswords(List.of("shop", "nobody_" + UUID.randomUUID().toString().substring(0, 8)), 7);
        Seen known = seen.get(0);
        Seen unknown = seen.get(1);
        assertEquals(List.of(401, 401, 401, 401, 401, 429, 429), known.statuses());
        assertEquals(known.statuses(), unknown.statuses());
        assertEquals(known.messages(), unknown.messages(), "the answers do not tell which username exists");
        long retryAfter = Long.parseLong(known.retryAfter());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(Math.abs(retryAfter - Long.parseLong(unknown.retryAfter())) <= 1,
                known.retryAfter() + " s against " + unknown.retryAfter() + " s");
        double ratio = (double) known.median401Nanos() / unknown.median401Nanos();
        System.out.printf("median 401: known %d ms, unknown %d ms%n", known.median401Nanos() / 1_000_000,
                unknown.median401Nanos() / 1_000_000);
        assertTrue(ratio > 0.5 && ratio < 2, "a wrong password for a known username takes "
                + known.median401Nanos() / 1_000_000 + " ms, for an unknown one " + unknown.median401Nanos() / 1_000_000
                + " ms");
        assertEquals(429, login(stack, "shop", "demo").status(), "even the right password waits its turn");
        assertEquals(429, login(stack, "SHOP", "wrong").status(), "usernames compare case-insensitively");
    }

    @Test
    void aSuccessfulLoginResetsTheUsernamesCount() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, login(stack, "agent2", "wrong").status(), "round " + round + ", attempt " + i);
            }
            assertEquals(200, login(stack, "agent2", "demo").status(), "round " + round);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(401, login(stack, "agent2", "wrong").status());
        }
        assertEquals(429, login(stack, "agent2", "wrong").status(), "and failures alone are throttled");
    }

    @Test
    void failuresFromOneAddressAreThrottledWhateverTheUsername() {
        try (TestStack small = TestStack.start(Map.of("LOGIN_ATTEMPTS_PER_ADDRESS", "6"))) {
            assertEquals(200, login(small, "alice", "demo").status(), "a success does not count");
            for (int i = 0; i < 6; i++) {
                assertEquals(401, login(small, "guess" + i, "wrong").status(), "attempt " + i);
            }
            Reply refused = login(small, "someone_else", "wrong");
            assertEquals(429, refused.status(), refused.toString());
            assertEquals("rate_limited", refused.errorCode());
            assertTrue(Long.parseLong(refused.headers().get("Retry-After")) >= 1);
            assertEquals(429, login(small, "alice", "demo").status(), "the address waits, whoever it is");
        }
    }
}
