package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** The rules every JSON body follows: it is sent as JSON, and its strings are valid Unicode. */
class JsonBodyRulesTest extends StackTest {
    private static final MediaType TEXT = MediaType.get("text/plain");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    @Test
    void aJsonEndpointTakesJsonWithAnyCharsetOrPlusJsonAndRefusesAnyOtherTypeWith415() {
        User alice = stack.newUser("buyer");
        String login = "{\"username\":\"alice\",\"password\":\"demo\"}";
        assertEquals("unsupported_media_type", status415(stack.anonymous().postRaw("/api/login", login, TEXT)));
        assertEquals("unsupported_media_type", status415(stack.anonymous().postRaw("/api/login", login, FORM)));
        assertEquals("unsupported_media_type", status415(stack.call(stack.anonymous().request("/api/login")
                .post(RequestBody.create(login.getBytes(StandardCharsets.UTF_8), null)).build())));
        String message = "{\"to_uid\":" + stack.uidOf("bob") + ",\"type\":\"text\",\"content\":\"hi\"}";
        assertEquals("unsupported_media_type", status415(alice.postRaw("/api/messages", message, TEXT)));
        assertEquals("unsupported_media_type", status415(alice.postRaw("/api/groups", "{\"name\":\"x\"}", TEXT)));
        // JSON with a charset, or a +json type, is JSON
        assertEquals(200, stack.anonymous().postRaw("/api/login", login,
                MediaType.get("application/json; charset=utf-8")).status());
        assertEquals(200, stack.anonymous().postRaw("/api/login", login,
                MediaType.get("application/vnd.pushgate+json")).status());
    }

    @Test
    void aPostWithoutBodyNeedsNoContentTypeButABodySentMustBeJson() {
        User alice = stack.newUser("buyer");
        long gid = alice.post("/api/groups", Map.of("name", "room " + UUID.randomUUID())).body()
                .get("group_id").asLong();
        String join = "/api/groups/" + gid + "/join";
        assertEquals("unsupported_media_type", status415(post(alice, join, RequestBody.create("x", TEXT))));
        assertNotEquals(415, post(alice, join, RequestBody.create("{}", TestStack.JSON)).status());
        assertEquals(204, post(alice, "/api/logout", RequestBody.create(new byte[0], null)).status());
    }

    private static Reply post(User user, String path, RequestBody body) {
        return stack.call(user.request(path).post(body).build());
    }

    private static String status415(Reply reply) {
        assertEquals(415, reply.status(), reply.toString());
        return reply.errorCode();
    }
}
