package io.pushgate.webapi.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdminTest extends StackTest {

    @Test
    void adminsSeeOnlineUsersWithNicknamesConnectionsGroupsAndStats() {
        User alice = stack.login("alice");
        User agent = stack.login("agent1");
        try (Socket one = alice.connectAndBind(); Socket two = alice.connectAndBind();
             Socket three = agent.connectAndBind()) {
            Reply online = stack.login("admin").get("/api/admin/online");
            assertEquals(200, online.status(), online.toString());
            JsonNode entry = null;
            for (JsonNode u : online.body().get("uids")) {
                if (u.get("uid").asString().equals(Long.toString(alice.uid))) {
                    entry = u;
                }
            }
            assertEquals("大美如斯", entry.get("nickname").asString());
            assertEquals(2, entry.get("connections").asInt());
            assertEquals(1, online.body().get("groups").get("desk").asInt());
            assertTrue(online.body().get("stats").get("clients").asInt() >= 3);
        }
    }

    @Test
    void everyoneElseIsRefused() {
        Reply refused = stack.login("alice").get("/api/admin/online");
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.errorCode());
        assertEquals(401, stack.anonymous().get("/api/admin/online").status());
    }
}
