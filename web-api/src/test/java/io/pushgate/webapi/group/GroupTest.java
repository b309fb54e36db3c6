package io.pushgate.webapi.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GroupTest extends StackTest {

    @Test
    void theDemoLobbyHasEveryone() {
        Reply groups = stack.login("alice").get("/api/groups");
        assertEquals(200, groups.status());
        JsonNode lobby = groups.body().get("groups").get(0);
        assertEquals("大厅 Lobby", lobby.get("name").asString());
        assertEquals(7, lobby.get("member_count").asInt());
        assertTrue(lobby.get("member").asBoolean());
        assertEquals("public", lobby.get("visibility").asString());
    }

    @Test
    void privateRoomsAreUnlistedAndJoinedByTheCreatorsInviteOnly() {
        User owner = stack.newUser("buyer");
        User guest = stack.newUser("buyer");
        User stranger = stack.newUser("buyer");
        Reply created = owner.post("/api/groups", Map.of("name", "secret", "visibility", "private"));
        assertEquals(201, created.status(), created.toString());
        assertEquals("private", created.body().get("visibility").asString());
        assertEquals(owner.uid, created.body().get("created_by").asLong());
        long gid = created.body().get("group_id").asLong();
        assertEquals(201, owner.send(Map.of("group_id", gid, "type", "text", "content", "members only")).status());

        for (User outsider : new User[] {guest, stranger}) {
            assertFalse(listed(outsider, gid), "a private room is not listed to outsiders");
            assertEquals(404, outsider.post("/api/groups/" + gid + "/join", Map.of()).status(),
                    "without an invite the room does not exist");
            assertEquals(404, outsider.get("/api/groups/" + gid + "/messages").status());
            assertEquals(404, outsider.send(Map.of("group_id", gid, "type", "text", "content", "hi")).status());
        }
        assertTrue(listed(owner, gid));

        Reply invited = owner.post("/api/groups/" + gid + "/invites", Map.of("uid", guest.uid));
        assertEquals(201, invited.status(), invited.toString());
        assertEquals(guest.uid, invited.body().get("uid").asLong());
        JsonNode seen = entry(guest, gid);
        assertTrue(seen.get("invited").asBoolean());
        assertFalse(seen.get("member").asBoolean());
        assertEquals(403, guest.get("/api/groups/" + gid + "/messages").status(), "history stays members-only");
        Reply joined = guest.post("/api/groups/" + gid + "/join", Map.of());
        assertEquals(200, joined.status(), joined.toString());
        assertEquals(2, joined.body().get("member_count").asInt());
        assertEquals("members only", guest.get("/api/groups/" + gid + "/messages").body()
                .get("messages").get(0).get("content").asString());

        Reply notCreator = guest.post("/api/groups/" + gid + "/invites", Map.of("uid", stranger.uid));
        assertEquals(403, notCreator.status(), "only the creator invites");
        assertEquals("forbidden", notCreator.errorCode());
        assertFalse(listed(stranger, gid));
        assertEquals(404, stranger.post("/api/groups/" + gid + "/join", Map.of()).status());

        assertEquals(200, owner.post("/api/groups/" + gid + "/leave", Map.of()).status());
        assertTrue(listed(owner, gid), "the creator keeps an invite and may come back");
        assertEquals(200, owner.post("/api/groups/" + gid + "/join", Map.of()).status());
    }

    @Test
    void publicRoomsAreListedToEveryoneAndAnyoneMayJoin() {
        User owner = stack.newUser("buyer");
        User stranger = stack.newUser("buyer");
        long gid = roomOf(owner, "open", "public");
        JsonNode seen = entry(stranger, gid);
        assertEquals("public", seen.get("visibility").asString());
        assertFalse(seen.get("member").asBoolean());
        assertEquals(403, stranger.get("/api/groups/" + gid + "/messages").status(), "history is members-only");
        assertEquals(200, stranger.post("/api/groups/" + gid + "/join", Map.of()).status());
        assertEquals(200, stranger.get("/api/groups/" + gid + "/messages").status());
    }

    @Test
    void badInviteInput() {
        User owner = stack.newUser("buyer");
        User stranger = stack.newUser("buyer");
        long gid = roomOf(owner, "mine", "private");
        assertEquals(400, owner.post("/api/groups", Map.of("name", "x", "visibility", "secret")).status());
        assertEquals(400, owner.post("/api/groups/" + gid + "/invites", Map.of()).status());
        assertEquals(404, owner.post("/api/groups/" + gid + "/invites", Map.of("uid", 987654321L)).status());
        assertEquals(404, stranger.post("/api/groups/" + gid + "/invites", Map.of("uid", stranger.uid)).status(),
                "a private room the caller cannot see is not found");
        assertEquals(404, owner.post("/api/groups/987654321/invites", Map.of("uid", stranger.uid)).status());
    }

    private static long roomOf(User owner, String name, String visibility) {
        Reply created = owner.post("/api/groups", Map.of("name", name, "visibility", visibility));
        assertEquals(201, created.status(), created.toString());
        return created.body().get("group_id").asLong();
    }

    /** Room {@code gid} as GET /api/groups lists it to {@code viewer}, if it does. */
    private static Optional<JsonNode> listing(User viewer, long gid) {
        for (JsonNode g : viewer.get("/api/groups").body().get("groups")) {
            if (g.get("group_id").asLong() == gid) {
                return Optional.of(g);
            }
        }
        return Optional.empty();
    }

    private static boolean listed(User viewer, long gid) {
        return listing(viewer, gid).isPresent();
    }

    private static JsonNode entry(User viewer, long gid) {
        return listing(viewer, gid).orElseThrow(() -> new AssertionError("group " + gid + " is not listed to "
                + viewer.uid));
    }

    @Test
    void createJoinWriteReadAndLeave() {
        User owner = stack.newUser("buyer");
        User joiner = stack.newUser("buyer");
        User outsider = stack.newUser("buyer");
        Reply created = owner.post("/api/groups", Map.of("name", "猫咪 🐱 fans"));
        assertEquals(201, created.status(), created.toString());
        long gid = created.body().get("group_id").asLong();
        assertEquals("猫咪 🐱 fans", created.body().get("name").asString());
        assertEquals(1, created.body().get("member_count").asInt());

        try (Socket ownerSocket = owner.connectAndBind(); Socket joinerSocket = joiner.connectAndBind()) {
            Reply joined = joiner.post("/api/groups/" + gid + "/join", Map.of());
            assertEquals(200, joined.status());
            assertTrue(joined.body().get("member").asBoolean());
            assertEquals(2, joined.body().get("member_count").asInt());

            Reply sent = owner.send(Map.of("group_id", gid, "type", "text", "content", "welcome"));
            assertEquals(201, sent.status(), sent.toString());
            assertTrue(sent.body().get("recipient_online").asBoolean());
            JsonNode message = sent.body().get("message");
            assertEquals(gid, message.get("group_id").asLong());
            assertFalse(message.has("to_uid"));
            assertEquals(message, joinerSocket.nextMessage(), "a live connection joins the room at once");
            assertEquals(message, ownerSocket.nextMessage());

            Reply history = joiner.get("/api/groups/" + gid + "/messages");
            assertEquals(1, history.body().get("messages").size());
            Reply sync = joiner.get("/api/sync?after=" + (message.get("id").asLong() - 1));
            assertEquals(message, sync.body().get("messages").get(0));

            assertEquals(403, outsider.get("/api/groups/" + gid + "/messages").status());
            Reply outsiderSend = outsider.send(Map.of("group_id", gid, "type", "text", "content", "let me in"));
            assertEquals(403, outsiderSend.status());
            assertEquals("forbidden", outsiderSend.errorCode());

            Reply left = joiner.post("/api/groups/" + gid + "/leave", Map.of());
            assertEquals(200, left.status());
            assertFalse(left.body().get("member").asBoolean());
            assertEquals(403, joiner.get("/api/groups/" + gid + "/messages").status());
            Reply second = owner.send(Map.of("group_id", gid, "type", "text", "content", "bye"));
            assertFalse(second.body().get("recipient_online").asBoolean(), "nobody else is in the room");
        }
    }

    @Test
    void groupsAppearInConversationsWithUnreadCounts() {
        User owner = stack.newUser("buyer");
        User member = stack.newUser("buyer");
        long gid = owner.post("/api/groups", Map.of("name", "counted")).body().get("group_id").asLong();
        member.post("/api/groups/" + gid + "/join", Map.of());
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = owner.send(Map.of("group_id", gid, "type", "text", "content", "n" + i))
                    .body().get("message").get("id").asLong();
        }
        assertEquals(3, groupEntry(member, gid).get("unread").asInt());
        assertEquals(0, groupEntry(owner, gid).get("unread").asInt());
        assertEquals(204, member.post("/api/messages/read", Map.of("group_id", gid, "up_to_id", last)).status());
        assertEquals(0, groupEntry(member, gid).get("unread").asInt());
    }

    @Test
    void badGroupInput() {
        User user = stack.newUser("buyer");
        assertEquals(400, user.post("/api/groups", Map.of("name", " ")).status());
        assertEquals(400, user.post("/api/groups", Map.of("name", "x".repeat(65))).status());
        assertEquals(400, user.post("/api/groups", Map.of()).status());
        assertEquals(404, user.post("/api/groups/987654321/join", Map.of()).status());
        assertEquals(400, user.post("/api/groups/abc/join", Map.of()).status());
        assertEquals(404, user.get("/api/groups/987654321/messages").status());
        assertEquals(404, user.send(Map.of("group_id", 987654321L, "type", "text", "content", "x")).status());
    }

    static JsonNode groupEntry(User viewer, long gid) {
        for (JsonNode e : viewer.get("/api/conversations").body().get("conversations")) {
            if (e.has("group") && e.get("group").get("group_id").asLong() == gid) {
                return e;
            }
        }
        throw new AssertionError("no group conversation " + gid);
    }
}
