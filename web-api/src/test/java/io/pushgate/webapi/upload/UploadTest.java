package io.pushgate.webapi.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import okhttp3.MultipartBody;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class UploadTest extends StackTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
    static Reply upload(User user, String filename, String declaredType, byte[] bytes) {
        return user.upload(filename, declaredType, bytes);
    }

    @Test
    void anImageIsStoredAndServedWithItsTypeAndNosniff() throws IOException {
        User user = stack.newUser("buyer");
        Reply uploaded = upload(user, "cat.bin", "application/octet-stream", PNG);
        assertEquals(201, uploaded.status(), uploaded.toString());
        String url = uploaded.body().get("url").asString();
        assertTrue(url.matches("/uploads/[0-9a-f]{32}\\.png"), url);
        try (Response served = stack.http.newCall(new Request.Builder().url(stack.api.uri() + url).build()).execute()) {
            assertEquals(200, served.code());
            assertEquals("image/png", served.header("Content-Type"));
            assertEquals("nosniff", served.header("X-Content-Type-Options"));
            assertArrayEquals(PNG, served.body().bytes());
        }
        // and it can be sent as an image message
        User peer = stack.newUser("buyer");
        Reply sent = user.send(Map.of("to_uid", peer.uid, "type", "image", "content", url));
        assertEquals(201, sent.status(), sent.toString());
    }

    @Test
    void anImageMessageNamingAnUploadNeverStoredIsRefused() {
        User user = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        Reply refused = user.send(Map.of("to_uid", peer.uid, "type", "image",
                "content", "/uploads/" + "ab".repeat(16) + ".png"));
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("bad_request", refused.errorCode());
    }

    @Test
    void everyAcceptedFormatIsRecognisedByItsBytes() {
        User user = stack.newUser("buyer");
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0x10};
        byte[] gif = "GIF89a....".getBytes(StandardCharsets.US_ASCII);
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
        assertTrue(upload(user, "a.png", "image/png", jpeg).body().get("url").asString().endsWith(".jpg"));
        assertTrue(upload(user, "a.png", "image/png", gif).body().get("url").asString().endsWith(".gif"));
        assertTrue(upload(user, "a.png", "image/png", webp).body().get("url").asString().endsWith(".webp"));
    }

    @Test
    void aTextFileNamedPngIsRefused() {
        User user = stack.newUser("buyer");
        Reply refused = upload(user, "evil.png", "image/png",
                "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertEquals(415, refused.status());
        assertEquals("unsupported_media_type", refused.errorCode());
    }

    @Test
    void anImageOverFiveMegabytesIsRefused() {
        User user = stack.newUser("buyer");
        byte[] big = new byte[UploadController.MAX_BYTES + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        Reply refused = upload(user, "big.png", "image/png", big);
        assertEquals(413, refused.status(), refused.toString());
        assertEquals("payload_too_large", refused.errorCode());
    }

    @Test
    void otherBadUploads() {
        User user = stack.newUser("buyer");
        Reply notMultipart = user.post("/api/uploads", Map.of("file", "x"));
        assertEquals(415, notMultipart.status());
        RequestBody noFile = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("other", "value").build();
        assertEquals(400, stack.call(user.request("/api/uploads").post(noFile).build()).status());
        assertEquals(401, upload(stack.anonymous(), "a.png", "image/png", PNG).status());
        assertEquals(404, stack.anonymous().get("/uploads/" + "0".repeat(32) + ".png").status());
        assertEquals(404, stack.anonymous().get("/uploads/..%2F..%2Fetc%2Fpasswd").status());
    }
}
