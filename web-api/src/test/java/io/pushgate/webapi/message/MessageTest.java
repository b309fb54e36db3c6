package io.pushgate.webapi.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

@StackTest.Settings({"RATE_LIMIT_BURST=1000", "RATE_LIMIT_PER_SECOND=1000"})
class MessageTest extends StackTest {

    static Map<String, Object> text(long to, String content) {
        return Map.of("to_uid", to, "type", "text", "content", content);
    }

    @Test
    void sendStoresAndPushesToRecipientAndSendersOtherConnections() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        try (Socket bSocket = b.connectAndBind(); Socket aOther = a.connectAndBind()) {
            Reply sent = a.send(Map.of("to_uid", b.uid, "type", "text", "content", "你好 👋", "client_msg_id", "c-1"));
            assertEquals(201, sent.status(), sent.toString());
            JsonNode message = sent.body().get("message");
            assertTrue(sent.body().get("recipient_online").asBoolean());
            assertEquals(a.uid, message.get("from_uid").asLong());
            assertEquals(b.uid, message.get("to_uid").asLong());
            assertEquals("text", message.get("type").asString());
            assertEquals("你好 👋", message.get("content").asString());
            assertEquals("c-1", message.get("client_msg_id").asString());
            Instant.parse(message.get("created_at").asString()); // ISO-8601 UTC
            assertTrue(message.get("created_at").asString().endsWith("Z"));

            assertEquals(message, bSocket.nextMessage());
            assertEquals(message, aOther.nextMessage());
        }
    }

    @Test
    void recipientOfflineIsReported() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        Reply sent = a.send(text(b.uid, "are you there?"));
        assertEquals(201, sent.status());
        assertFalse(sent.body().get("recipient_online").asBoolean());
    }

    @Test
    void theBodyCannotChooseTheSender() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        User c = stack.newUser("buyer");
        Map<String, Object> forged = new HashMap<>(text(b.uid, "forged"));
        forged.put("from_uid", c.uid);
        forged.put("author_uid", c.uid);
        Reply sent = a.send(forged);
        assertEquals(201, sent.status());
        assertEquals(a.uid, sent.body().get("message").get("from_uid").asLong());
    }

    @Test
    void badInputIs400WithTheContractsBody() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        List<Map<String, Object>> bad = List.of(
                Map.of("type", "text", "content", "no recipient"),
                Map.of("to_uid", b.uid, "group_id", 1, "type", "text", "content", "both"),
                Map.of("to_uid", b.uid, "type", "video", "content", "x"),
                Map.of("to_uid", b.uid, "content", "no type"),
                Map.of("to_uid", b.uid, "type", "text"),
                Map.of("to_uid", b.uid, "type", "text", "content", "   "),
                Map.of("to_uid", "abc", "type", "text", "content", "x"),
                Map.of("to_uid", b.uid, "type", "text", "content", "x", "client_msg_id", "has space"),
                Map.of("to_uid", a.uid, "type", "text", "content", "to myself"),
                Map.of("to_uid", b.uid, "type", "image", "content", "https://evil.example/x.png"),
                Map.of("to_uid", b.uid, "type", "product", "content", "999999"),
                Map.of("to_uid", b.uid, "type", "product", "content", "1 OR 1=1"));
        for (Map<String, Object> body : bad) {
            Reply reply = a.send(body);
            assertEquals(400, reply.status(), body + " -> " + reply);
            assertEquals("bad_request", reply.errorCode(), body.toString());
            assertFalse(reply.body().path("error").path("message").asString().isEmpty());
        }
        Reply notJson = a.postRaw("/api/messages", "{\"to_uid\":", TestStack.JSON);
        assertEquals(400, notJson.status());
        assertEquals("bad_request", notJson.errorCode());
    }

    @Test
    void tooLongTextIs413AndUnknownRecipientIs404() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        Reply tooLong = a.send(text(b.uid, "字".repeat(MessageService.MAX_TEXT_CODE_POINTS + 1)));
        assertEquals(413, tooLong.status());
        assertEquals("content_too_long", tooLong.errorCode());
        Reply longest = a.send(text(b.uid, "字".repeat(MessageService.MAX_TEXT_CODE_POINTS)));
        assertEquals(201, longest.status());
        Reply nobody = a.send(text(987654321L, "hello?"));
        assertEquals(404, nobody.status());
        assertEquals("not_found", nobody.errorCode());
    }

    @Test
    void productMessageCarriesAnExistingProductId() {
        User a = stack.newUser("buyer");
        Reply sent = a.send(Map.of("to_uid", stack.uidOf("shop"), "type", "product", "content", "1"));
        assertEquals(201, sent.status(), sent.toString());
        assertEquals("1", sent.body().get("message").get("content").asString());
    }

    @Test
    void sendingIsIdempotentPerClientMsgId() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        Map<String, Object> body = Map.of("to_uid", b.uid, "type", "text", "content", "once", "client_msg_id", "k-1");
        Reply first = a.send(body);
        Reply again = a.send(body);
        assertEquals(201, first.status());
        assertEquals(200, again.status());
        assertEquals(first.body().get("message"), again.body().get("message"));
        Reply history = b.get("/api/messages?peer=" + a.uid);
        assertEquals(1, history.body().get("messages").size());

        Reply reused = a.send(Map.of("to_uid", b.uid, "type", "text", "content", "other", "client_msg_id", "k-1"));
        assertEquals(409, reused.status());
        assertEquals("client_msg_id_reused", reused.errorCode());

        Reply otherSender = b.send(Map.of("to_uid", a.uid, "type", "text", "content", "mine", "client_msg_id", "k-1"));
        assertEquals(201, otherSender.status());
        assertNotEquals(first.body().get("message").get("id"), otherSender.body().get("message").get("id"));
    }

    @Test
    void historyPagesBackwardsWithoutGapsOrOverlap() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            User from = i % 2 == 0 ? a : b;
            sent.add(from.send(text(from == a ? b.uid : a.uid, "m" + i)).body().get("message").get("id").asLong());
        }
        List<Long> seen = new ArrayList<>();
        String before = "";
        int pages = 0;
        while (true) {
            Reply page = a.get("/api/messages?peer=" + b.uid + "&limit=10" + before);
            assertEquals(200, page.status());
            List<Long> ids = new ArrayList<>();
            page.body().get("messages").forEach(m -> ids.add(m.get("id").asLong()));
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i - 1) < ids.get(i), "oldest first within a page");
            }
            seen.addAll(0, ids);
            pages++;
            if (!page.body().get("has_more").asBoolean()) {
                break;
            }
            before = "&before=" + ids.get(0);
        }
        assertEquals(3, pages);
        assertEquals(sent, seen);
        // the other side sees the same conversation
        assertEquals(10, b.get("/api/messages?peer=" + a.uid + "&limit=10").body().get("messages").size());
    }

    @Test
    void nobodyReadsAConversationTheyAreNotIn() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        User eve = stack.newUser("buyer");
        a.send(text(b.uid, "private"));
        // eve can only ever name her own side: peer=b is the conversation eve-b, which is empty
        Reply eveView = eve.get("/api/messages?peer=" + b.uid);
        assertEquals(0, eveView.body().get("messages").size());
        Reply eveSync = eve.get("/api/sync?after=0");
        eveSync.body().get("messages").forEach(m -> assertNotEquals("private", m.get("content").asString()));
        Reply deskView = eve.get("/api/messages?peer=" + a.uid + "&desk=true");
        assertEquals(403, deskView.status());
    }

    @Test
    void historyBadInput() {
        User a = stack.newUser("buyer");
        assertEquals(400, a.get("/api/messages").status());
        assertEquals(400, a.get("/api/messages?peer=x").status());
        assertEquals(400, a.get("/api/messages?peer=1&limit=0").status());
        assertEquals(400, a.get("/api/messages?peer=1&limit=101").status());
        assertEquals(400, a.get("/api/messages?peer=1&before=-5").status());
        assertEquals(404, a.get("/api/messages?peer=987654321").status());
        assertEquals(401, stack.anonymous().get("/api/messages?peer=1").status());
    }

    @Test
    void syncReturnsEverythingVisibleAfterAnIdAndTheCursorToPassNext() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        User c = stack.newUser("buyer");
        long first = a.send(text(b.uid, "1")).body().get("message").get("id").asLong();
        long second = c.send(text(b.uid, "2")).body().get("message").get("id").asLong();
        long third = b.send(text(a.uid, "3")).body().get("message").get("id").asLong();
        a.send(text(c.uid, "not for b"));

        Reply all = b.get("/api/sync?after=0");
        assertEquals(List.of(first, second, third), ids(all));
        Reply afterFirst = b.get("/api/sync?after=" + first);
        assertEquals(List.of(second, third), ids(afterFirst));
        assertFalse(afterFirst.body().get("has_more").asBoolean());
        Reply paged = b.get("/api/sync?after=0&limit=2");
        assertEquals(List.of(first, second), ids(paged));
        assertTrue(paged.body().get("has_more").asBoolean());
        assertEquals(second, paged.body().get("next_after").asLong(), "the cursor is the last id returned");
        Reply rest = b.get("/api/sync?after=" + paged.body().get("next_after").asLong() + "&limit=2");
        assertEquals(List.of(third), ids(rest));
        assertEquals(third, rest.body().get("next_after").asLong());
        Reply none = b.get("/api/sync?after=" + (third + 1000));
        assertEquals(List.of(), ids(none));
        assertEquals(third + 1000, none.body().get("next_after").asLong(), "nothing new: the cursor stays");
        assertFalse(none.body().get("has_more").asBoolean());
        assertEquals(400, b.get("/api/sync?after=abc").status());
        assertEquals(400, b.get("/api/sync?limit=501").status());
    }

    @Test
    void readMovesThePositionPushesAReceiptAndClearsUnread() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        a.send(text(b.uid, "one"));
        long last = a.send(text(b.uid, "two")).body().get("message").get("id").asLong();

        JsonNode entry = conversationWith(b, a.uid);
        assertEquals(2, entry.get("unread").asInt());
        assertEquals(last, entry.get("last_message").get("id").asLong());
        assertEquals(a.uid, entry.get("peer").get("uid").asLong());

        try (Socket aSocket = a.connectAndBind()) {
            Reply read = b.post("/api/messages/read", Map.of("peer", a.uid, "up_to_id", last));
            assertEquals(204, read.status(), read.toString());
            JsonNode receipt = aSocket.next(f -> "read".equals(f.path("type").asString()));
            assertEquals(b.uid, receipt.get("peer").asLong());
            assertEquals(last, receipt.get("up_to_id").asLong());
        }
        assertEquals(0, conversationWith(b, a.uid).get("unread").asInt());
        // a read position never moves back
        assertEquals(204, b.post("/api/messages/read", Map.of("peer", a.uid, "up_to_id", 1)).status());
        assertEquals(0, conversationWith(b, a.uid).get("unread").asInt());
        // the sender has nothing unread in that conversation
        assertEquals(0, conversationWith(a, b.uid).get("unread").asInt());

        assertEquals(400, b.post("/api/messages/read", Map.of("peer", a.uid)).status());
        assertEquals(400, b.post("/api/messages/read", Map.of("up_to_id", 5)).status());
        assertEquals(400, b.post("/api/messages/read", Map.of("peer", a.uid, "up_to_id", 0)).status());
        assertEquals(404, b.post("/api/messages/read", Map.of("peer", 987654321L, "up_to_id", 5)).status());
    }

    @Test
    void conversationsAreNewestFirst() {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        User c = stack.newUser("buyer");
        a.send(text(b.uid, "older"));
        a.send(text(c.uid, "newer"));
        Reply list = a.get("/api/conversations");
        assertEquals(200, list.status());
        List<Long> peers = new ArrayList<>();
        list.body().get("conversations").forEach(e -> {
            if (e.has("peer")) {
                peers.add(e.get("peer").get("uid").asLong());
            }
        });
        assertEquals(List.of(c.uid, b.uid), peers);
    }

    static JsonNode conversationWith(User viewer, long peer) {
        for (JsonNode e : viewer.get("/api/conversations").body().get("conversations")) {
            if (e.has("peer") && e.get("peer").get("uid").asLong() == peer && !e.get("desk").asBoolean()) {
                return e;
            }
        }
        throw new AssertionError("no conversation with " + peer);
    }

    static List<Long> ids(Reply page) {
        List<Long> ids = new ArrayList<>();
        page.body().get("messages").forEach(m -> ids.add(m.get("id").asLong()));
        return ids;
    }
}
