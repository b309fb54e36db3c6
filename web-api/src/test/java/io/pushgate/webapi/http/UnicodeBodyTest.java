package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * Text in a JSON body is valid Unicode or refused with 400, never stored changed: a lone surrogate written as an
 * escape, or arriving as bytes that are not UTF-8, in any field.
 */
class UnicodeBodyTest extends StackTest {
    /** UTF-8 bytes that do not decode: a lone surrogate encoded as if it were a character, and a stray byte. */
    private static final byte[][] BAD_BYTES = {{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}};

    @Test
    void aLoneSurrogateInAMessageIsRefusedAndNothingIsStored() {
        User alice = stack.newUser("buyer");
        User bob = stack.newUser("buyer");
        String id = UUID.randomUUID().toString();
        for (String content : new String[] {"\\ud800", "a\\udc00b", "\\ud83d"}) {
            assertBadRequest(alice, "/api/messages", utf8("{\"to_uid\":" + bob.uid
                    + ",\"type\":\"text\",\"content\":\"" + content + "\",\"client_msg_id\":\"" + id + "\"}"));
        }
        for (byte[] bad : BAD_BYTES) {
            assertBadRequest(alice, "/api/messages", join(utf8("{\"to_uid\":" + bob.uid
                    + ",\"type\":\"text\",\"content\":\"x"), bad, utf8("\",\"client_msg_id\":\"" + id + "\"}")));
        }
        assertBadRequest(alice, "/api/messages", utf8("{\"to_uid\":" + bob.uid
                + ",\"type\":\"text\",\"content\":\"ok\",\"client_msg_id\":\"\\udfff\"}"));
        assertEquals(0, alice.get("/api/messages?peer=" + bob.uid).body().get("messages").size());

        // the retry with proper text is stored as a first send, not refused as a reuse of the id
        Reply sent = alice.send(Map.of("to_uid", bob.uid, "type", "text", "content", "\ud83d\ude00 ok",
                "client_msg_id", id));
        assertEquals(201, sent.status(), sent.toString());
        assertEquals("\ud83d\ude00 ok", alice.get("/api/messages?peer=" + bob.uid).body().get("messages").get(0)
                .get("content").asString());
    }

    @Test
    void aLoneSurrogateIsRefusedInEveryBody() {
        User alice = stack.newUser("buyer");
        assertBadRequest(stack.anonymous(), "/api/login", utf8("{\"username\":\"\\ud800\",\"password\":\"x\"}"));
        assertBadRequest(stack.anonymous(), "/api/login",
                join(utf8("{\"username\":\"alice\",\"password\":\""), BAD_BYTES[0], utf8("\"}")));
        String name = "room " + UUID.randomUUID();
        assertBadRequest(alice, "/api/groups", utf8("{\"name\":\"" + name + "\\ud800\"}"));
        assertBadRequest(alice, "/api/groups", join(utf8("{\"name\":\"" + name), BAD_BYTES[0], utf8("\"}")));
        assertEquals(0, alice.get("/api/groups").body().findValues("name").stream()
                .filter(n -> n.asString().startsWith(name)).count(), "no group was created");
        assertBadRequest(alice, "/api/bind", utf8("{\"client_id\":\"\\udbff\"}"));
    }

    private static void assertBadRequest(User user, String path, byte[] body) {
        Reply reply = stack.call(user.request(path).post(RequestBody.create(body, TestStack.JSON)).build());
        assertEquals(400, reply.status(), new String(body, StandardCharsets.ISO_8859_1) + " -> " + reply);
        assertEquals("bad_request", reply.errorCode());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
