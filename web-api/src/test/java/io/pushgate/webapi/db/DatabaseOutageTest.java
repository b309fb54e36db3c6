package io.pushgate.webapi.db;

import io.pushgate.server.testing.TcpProxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void theDatabaseGoingAwayIs503AndServiceResumesWhenItReturns() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (TcpProxy proxy = new TcpProxy(db.serverAddress().getHostString(), db.serverAddress().getPort())) {
            proxy.start();
            try (TestStack stack = TestStack.startVia(db, db.urlVia("127.0.0.1:" + proxy.port()), Map.of())) {
                User alice = stack.login("alice");
                long bob = stack.uidOf("bob");
                assertEquals(200, alice.get("/api/messages?peer=" + bob).status());

                proxy.stop();
                // "never a hang": a client that gives up after 3 s must still get its answer
                OkHttpClient impatient = stack.http.newBuilder().callTimeout(Duration.ofSeconds(3)).build();
                // every pooled connection breaks, then no new one can be made: each request is a 503 either way
                for (int i = 0; i < io.pushgate.webapi.WebApi.POOL_SIZE + 3; i++) {
                    Reply history = call(stack, impatient, alice.request("/api/messages?peer=" + bob).build());
                    assertEquals(503, history.status(), history.toString());
                    assertEquals("database_unavailable", history.errorCode());
                }
                Reply send = call(stack, impatient, alice.request("/api/messages").post(okhttp3.RequestBody.create(
                        "{\"to_uid\":" + bob + ",\"type\":\"text\",\"content\":\"x\"}", TestStack.JSON)).build());
                assertEquals(503, send.status());
                Reply login = call(stack, impatient, new Request.Builder().url(stack.api.uri() + "/api/login")
                        .post(okhttp3.RequestBody.create("{\"username\":\"bob\",\"password\":\"demo\"}",
                                TestStack.JSON)).build());
                assertEquals(503, login.status());

                proxy.start();
                // HikariCP retries connecting with a backoff of up to 5 s, so recovery takes a few seconds
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (alice.get("/api/messages?peer=" + bob).status() != 200) {
                    if (System.nanoTime() > deadline) {
                        fail("web-api did not recover within 30 s of the database returning");
                    }
                    Thread.sleep(50); // polling for the pool to reconnect: there is no event to wait on
                }
                assertEquals(201, alice.send(Map.of("to_uid", bob, "type", "text", "content", "back")).status());
            }
        }
    }

    private static Reply call(TestStack stack, OkHttpClient client, Request request) {
        try (var response = client.newCall(request).execute()) {
            return new Reply(response.code(), stack.json.readTree(response.body().bytes()), response.headers());
        } catch (java.io.IOException e) {
            throw new AssertionError("no answer: " + e, e);
        }
    }
}
