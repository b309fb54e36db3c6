package io.pushgate.webapi.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.server.testing.TcpProxy;
import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.WebApi;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

/** {@code /ready} against the real database and push-server, each behind a proxy that the test cuts. */
class HealthTest {

    @Test
    void readyFollowsTheDatabaseAndThePushServerWhileHealthStaysUp() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (TcpProxy database = new TcpProxy(db.serverAddress().getHostString(), db.serverAddress().getPort())) {
            database.start();
            try (TestStack stack = TestStack.startVia(db, db.urlVia("127.0.0.1:" + database.port()), Map.of());
                 TcpProxy admin = new TcpProxy("127.0.0.1", stack.pushServer.adminUri().getPort())) {
                admin.start();
                // a second admin URL that never answers: one push-server answering is enough
                WebApi api = stack.startInstance(Map.of("PUSH_ADMIN_URLS",
                        "http://127.0.0.1:" + admin.port() + ",http://127.0.0.1:1"));

                Reply ready = get(stack, api, "/ready");
                assertEquals(200, ready.status(), ready.toString());
                assertEquals("ready", ready.body().get("status").asString());
                assertEquals(1, ready.body().get("push_servers_up").asInt());
                assertEquals(2, ready.body().get("push_servers").asInt());
                assertEquals("no-store", ready.headers().get("Cache-Control"));
                assertHealthy(stack, api);

                database.stop();
                Reply down = await(stack, api, r -> r.status() == 503, "503 once the database is cut");
                assertEquals("not_ready", down.errorCode());
                assertEquals("the database does not answer", down.body().get("error").get("message").asString());
                assertEquals("no-store", down.headers().get("Cache-Control"));
                assertTrue(down.headers().get("Content-Type").startsWith("application/json"));
                assertHealthy(stack, api);
                database.start();
                await(stack, api, r -> r.status() == 200, "200 once the database is back");

                admin.pause(); // the push-server's admin port accepts but never answers: the bound must hold
                long started = System.nanoTime();
                down = await(stack, api, r -> r.status() == 503, "503 once the push-server does not answer");
                assertEquals("not_ready", down.errorCode());
                assertEquals("no push-server admin URL answers (2 of 2 down)",
                        down.body().get("error").get("message").asString());
                assertTrue(System.nanoTime() - started < Duration.ofSeconds(5).toNanos(), "bounded, not a hang");
                assertHealthy(stack, api);
                admin.stop(); // and refused outright
                assertEquals(503, get(stack, api, "/ready").status());
                admin.start();
                Reply back = await(stack, api, r -> r.status() == 200, "200 once the push-server answers again");
                assertEquals(1, back.body().get("push_servers_up").asInt());
            }
        }
    }

    @Test
    void healthAndReadyAreForAnyoneAndNeedNoSession() {
        try (TestStack stack = TestStack.start()) {
            Reply health = stack.anonymous().get("/health");
            assertEquals(200, health.status());
            assertEquals(Map.of("status", "up"), stack.json.convertValue(health.body(), Map.class));
            Reply ready = stack.anonymous().get("/ready");
            assertEquals(200, ready.status(), ready.toString());
            assertEquals(1, ready.body().get("push_servers_up").asInt());
        }
    }

    @Test
    void anAnswerIsReusedFor250MsSoAPollStormCostsOneCheck() throws Exception {
        try (TestStack stack = TestStack.start();
             TcpProxy admin = new TcpProxy("127.0.0.1", stack.pushServer.adminUri().getPort())) {
            admin.start();
            AtomicLong clock = new AtomicLong();
            Health health = new Health(stack.api.jdbi(), List.of("http://127.0.0.1:" + admin.port()), clock::get);
            assertTrue(health.readiness().ready());
            admin.stop();
            clock.addAndGet(Health.CACHE_FOR.toNanos() - 1);
            assertTrue(health.readiness().ready(), "within 250 ms the last answer stands: no new check");
            clock.addAndGet(1);
            Health.Readiness after = health.readiness();
            assertEquals(false, after.ready(), "past 250 ms it checks again");
            assertEquals("no push-server admin URL answers (1 of 1 down)", after.problem());
            admin.start();
            assertEquals(false, health.readiness().ready(), "the failure is reused too");
            clock.addAndGet(Health.CACHE_FOR.toNanos());
            assertTrue(health.readiness().ready());
        }
    }

    private static void assertHealthy(TestStack stack, WebApi api) {
        Reply health = get(stack, api, "/health");
        assertEquals(200, health.status(), health.toString());
        assertEquals("up", health.body().get("status").asString());
    }

    private static Reply get(TestStack stack, WebApi api, String path) {
        return stack.call(new Request.Builder().url(api.uri() + path).build());
    }

    /** Polls {@code /ready} until it answers as wanted; HikariCP reconnects with a backoff of up to 5 s. */
    private static Reply await(TestStack stack, WebApi api, Predicate<Reply> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Reply reply = get(stack, api, "/ready");
            if (wanted.test(reply)) {
                return reply;
            }
            if (System.nanoTime() > deadline) {
                fail("/ready did not answer " + what + " within 30 s: " + reply);
            }
            Thread.sleep(50); // polling: there is no event to wait on
        }
    }
}
