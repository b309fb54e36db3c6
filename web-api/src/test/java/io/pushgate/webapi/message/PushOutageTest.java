package io.pushgate.webapi.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushOutageTest {

    @Test
    void withThePushServerDownAMessageIsStillStoredAndSyncRecoversItWhileBindAndAdminAre503() {
        try (TestStack stack = TestStack.start()) {
            User a = stack.newUser("buyer");
            User b = stack.newUser("buyer");
            String clientId = stack.connect().clientId;
            stack.pushServer.close();

            Reply sent = a.send(Map.of("to_uid", b.uid, "type", "text", "content", "stored anyway"));
            assertEquals(201, sent.status(), sent.toString());
            assertFalse(sent.body().get("recipient_online").asBoolean());
            long id = sent.body().get("message").get("id").asLong();
            Reply sync = b.get("/api/sync?after=" + (id - 1));
            assertEquals(id, sync.body().get("messages").get(0).get("id").asLong());

            Reply bind = b.post("/api/bind", Map.of("client_id", clientId));
            assertEquals(503, bind.status());
            assertEquals("push_unavailable", bind.errorCode());
            assertNull(bind.headers().get("Retry-After"), "how long the push-server is away is unknown");
            Reply online = stack.login("admin").get("/api/admin/online");
            assertEquals(503, online.status(), online.toString());
            assertEquals("push_unavailable", online.errorCode());
            assertNull(online.headers().get("Retry-After"));
        }
    }

    @Test
    void bindingAConnectionThatIsNotConnectedIs404() {
        try (TestStack stack = TestStack.start()) {
            User a = stack.newUser("buyer");
            Reply bind = a.post("/api/bind", Map.of("client_id", "nope.AAAAAAAAAAAAAAAAAAAAAA"));
            assertEquals(404, bind.status());
            assertEquals("client_not_found", bind.errorCode());
            assertEquals("client nope.AAAAAAAAAAAAAAAAAAAAAA is not connected",
                    bind.body().path("error").path("message").asString());
            assertEquals(400, a.post("/api/bind", Map.of("client_id", "has spaces")).status());
            assertEquals(400, a.post("/api/bind", Map.of()).status());
        }
    }
}
