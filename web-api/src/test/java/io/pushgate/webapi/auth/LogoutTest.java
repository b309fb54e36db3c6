package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.WsTestClient;
import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import io.pushgate.webapi.WebApi;
import io.pushgate.webapi.WebApiConfig;
import java.time.Duration;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

class LogoutTest extends StackTest {

    @Test
    void logoutClosesTheSessionsConnectionsWithinASecondAndNoOthers() throws Exception {
        User session = stack.login("bob");
        User otherSession = stack.login("bob");
        User writer = stack.newUser("buyer");
        try (WsTestClient loggedOut = WsTestClient.connect(stack.http, stack.pushServer.wsUri());
             WsTestClient stays = WsTestClient.connect(stack.http, stack.pushServer.wsUri())) {
            assertEquals(200, session.post("/api/bind", Map.of("client_id", loggedOut.clientId())).status());
            assertEquals(200, otherSession.post("/api/bind", Map.of("client_id", stays.clientId())).status());

            long began = System.nanoTime();
            assertEquals(204, session.post("/api/logout", Map.of()).status());
            int code = loggedOut.awaitClose();
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertEquals(1000, code, "closed normally");
            assertTrue(tookMs < 1_000, "closed " + tookMs + " ms after the logout began");

            Reply sent = writer.send(Map.of("to_uid", stack.uidOf("bob"), "type", "text", "content", "after logout"));
            assertEquals(201, sent.status());
            while (!stays.next().contains("after logout")) {
                // earlier frames (none expected but the echo of nothing); next() fails after its deadline
            }
            assertFalse(stays.isClosed(), "the other session's connection stays open");
            for (String frame; (frame = loggedOut.poll(Duration.ZERO)) != null; ) {
                assertFalse(frame.contains("after logout"), "the logged-out connection got " + frame);
            }
            assertEquals(401, session.get("/api/me").status());
            assertEquals(200, otherSession.get("/api/me").status());
        }
    }

    /** The record of who bound a connection lives on the push-server: any web-api instance can log it out. */
    @Test
    void logoutOnAnotherInstanceClosesTheConnectionsToo() {
        try (WebApi second = WebApi.start(WebApiConfig.forTesting(stack.db.url(), stack.pushServer.adminUri().toString(),
                stack.secret, TestDatabase.tempDir("pushgate-uploads"), Map.of()));
             WsTestClient socket = WsTestClient.connect(stack.http, stack.pushServer.wsUri())) {
            User user = stack.login("shop");
            assertEquals(200, user.post("/api/bind", Map.of("client_id", socket.clientId())).status());
            Request logout = new Request.Builder().url(second.uri() + "/api/logout")
                    .header("Authorization", "Bearer " + user.token)
                    .post(RequestBody.create(new byte[0], TestStack.JSON)).build();
            assertEquals(204, stack.call(logout).status());
            assertEquals(1000, socket.awaitClose(), "closed by the instance that did not bind it");
        }
    }

    @Test
    void logoutSucceedsWithThePushServerDown() {
        try (TestStack own = TestStack.start()) {
            User user = own.login("alice");
            own.pushServer.close();
            long began = System.nanoTime();
            assertEquals(204, user.post("/api/logout", Map.of()).status());
            long tookMs = (System.nanoTime() - began) / 1_000_000;
            assertTrue(tookMs < 3_000, "logout took " + tookMs + " ms");
            assertEquals(401, user.get("/api/me").status());
        }
    }
}
