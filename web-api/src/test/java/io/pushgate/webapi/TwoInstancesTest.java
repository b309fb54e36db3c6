package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import io.pushgate.webapi.auth.Sessions;
import io.pushgate.webapi.desk.DeskService;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two web-api instances on one database and push-server, as behind a load balancer: what one of them changes
 * (a logout, a role, the desk account, an upload) the other sees, within the bound each store promises, without
 * a restart. No demo data, so there is no {@code support} account until a test creates one.
 */
class TwoInstancesTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
    static TestStack stack;
    static WebApi b;

    @BeforeAll
    static void start() {
        stack = TestStack.start(Map.of("DEMO_DATA", "false"));
        b = stack.startInstance(Map.of());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aLogoutOnOneInstanceIsRefusedByTheOtherWithinTwoSeconds() {
        User onA = stack.newUser("buyer");
        User onB = onA.via(b);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, onB.get("/api/me").status(), "B has the session in its cache");
        }
        long loggedOut = System.nanoTime();
        assertEquals(204, onA.post("/api/logout", Map.of()).status());
        long tookMs = millisUntil(() -> onB.get("/api/me").status() == 401, Duration.ofSeconds(2),
                "B still accepts the token 2 s after the logout on A");
        assertTrue(tookMs <= Sessions.CACHE_TTL.toMillis() + 500, "B refused it after " + tookMs + " ms");
        assertEquals(401, onB.send(Map.of("to_uid", onA.uid, "type", "text", "content", "after logout")).status());
    }

    @Test
    void aRoleChangedWhileBothRunIsSeenByBoth() {
        User user = stack.newUser("buyer");
        assertEquals(403, user.get("/api/admin/online").status());
        assertEquals(403, user.via(b).get("/api/admin/online").status());
        stack.api.jdbi().useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE uid = ?", user.uid));
        millisUntil(() -> user.get("/api/admin/online").status() == 200
                && user.via(b).get("/api/admin/online").status() == 200, Duration.ofSeconds(3),
                "the new role is not seen by both instances within 3 s");
    }

    @Test
    void aSupportAccountCreatedAfterBothStartedIsTheDeskOnBoth() {
        // The only test that creates the desk account: before it, neither instance has a desk.
        assertTrue(stack.anonymous().get("/api/config").body().path("support_uid").isNull());
        assertTrue(stack.anonymous().via(b).get("/api/config").body().path("support_uid").isNull());
        User support = stack.newUser("support");
        long tookMs = millisUntil(() -> stack.anonymous().get("/api/config").body().path("support_uid").asLong()
                        == support.uid && stack.anonymous().via(b).get("/api/config").body().path("support_uid")
                        .asLong() == support.uid, Duration.ofSeconds(5),
                "the new support account is not the desk on both instances within 5 s");
        assertTrue(tookMs <= DeskService.MAX_AGE.toMillis() + 1000, "seen after " + tookMs + " ms");

        User agent = stack.newUser("agent");
        User customer = stack.newUser("buyer");
        try (Socket agentSocket = agent.connectAndBind()) { // bound through A, as desk staff
            Reply asked = customer.via(b).send(Map.of("to_uid", support.uid, "type", "text", "content", "hello?"));
            assertEquals(201, asked.status(), asked.toString());
            assertEquals(asked.body().get("message"), agentSocket.nextMessage(), "B sent it to the desk's agents");
            Reply answered = agent.via(b).send(Map.of("to_uid", customer.uid, "type", "text", "content", "hi",
                    "from_desk", true));
            assertEquals(201, answered.status(), answered.toString());
            assertEquals(support.uid, answered.body().get("message").get("from_uid").asLong());
        }
    }

    @Test
    void anImageUploadedThroughOneInstanceIsServedByTheOtherAndMayBeSentThere() throws IOException {
        User sender = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        Reply uploaded = sender.upload("cat.png", "image/png", PNG);
        assertEquals(201, uploaded.status(), uploaded.toString());
        String url = uploaded.body().get("url").asString();
        try (Response served = stack.http.newCall(new Request.Builder().url(b.uri() + url).build()).execute()) {
            assertEquals(200, served.code());
            assertEquals("image/png", served.header("Content-Type"));
            assertEquals("nosniff", served.header("X-Content-Type-Options"));
            assertEquals("public, max-age=31536000, immutable", served.header("Cache-Control"));
            assertArrayEquals(PNG, served.body().bytes());
        }
        Reply sent = sender.via(b).send(Map.of("to_uid", peer.uid, "type", "image", "content", url));
        assertEquals(201, sent.status(), sent.toString());
        Reply refused = sender.via(b).send(Map.of("to_uid", peer.uid, "type", "image",
                "content", url.replaceFirst("/uploads/[0-9a-f]", "/uploads/" + (url.charAt(9) == '0' ? '1' : '0'))));
        assertEquals(400, refused.status(), "an upload no store holds: " + refused);
    }

    /** Polls {@code done} until it holds; fails with {@code why} past {@code within}; returns the milliseconds. */
    static long millisUntil(BooleanSupplier done, Duration within, String why) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, why);
            try {
                Thread.sleep(20); // polling another instance's view, bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
