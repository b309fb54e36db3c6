package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PushClientBuilderTest {

    @Test
    void missingSecretFailsAtBuildTime() {
        PushClient.Builder builder = PushClient.builder().adminUrls("http://127.0.0.1:8283");
        assertEquals("secret == null", assertThrows(NullPointerException.class, builder::build).getMessage());
    }

    @Test
    void missingAdminUrlsFailAtBuildTime() {
        PushClient.Builder builder = PushClient.builder().secret("s");
        assertEquals("adminUrls is empty", assertThrows(IllegalStateException.class, builder::build).getMessage());
    }

    @Test
    void badSettingsFailAtOnce() {
        PushClient.Builder builder = PushClient.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.adminUrls("ftp://x"));
        assertEquals("secret == null", assertThrows(NullPointerException.class, () -> builder.secret(null)).getMessage());
        assertEquals("timeout == null",
                assertThrows(NullPointerException.class, () -> builder.timeout(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.timeout(Duration.ZERO));
        assertEquals("attemptTimeout == null",
                assertThrows(NullPointerException.class, () -> builder.attemptTimeout(null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.attemptTimeout(Duration.ofMillis(-1)));
        assertEquals("circuitCoolDown <= 0",
                assertThrows(IllegalArgumentException.class, () -> builder.circuitCoolDown(Duration.ZERO)).getMessage());
        assertThrows(NullPointerException.class, () -> builder.okHttpClient(null));
        assertEquals("maxBodyBytes < 1",
                assertThrows(IllegalArgumentException.class, () -> builder.maxBodyBytes(0)).getMessage());
    }

    @Test
    void durationsDefault() {
        try (PushClient push = PushClient.builder().adminUrls("http://127.0.0.1:8283").secret("s").build()) {
            assertEquals(Duration.ofSeconds(5), push.timeout());
            assertEquals(Duration.ofSeconds(1), push.connectTimeout());
            assertEquals(Duration.ofMillis(500), push.attemptTimeout());
            assertEquals(Duration.ofSeconds(2), push.circuitCoolDown());
            assertEquals(1 << 20, push.maxBodyBytes(), "the push-server's PUSH_ADMIN_MAX_BODY_BYTES default");
        }
    }

    @Test
    void connectTimeoutIsCappedByTimeout() {
        try (PushClient push = PushClient.builder().adminUrls("http://127.0.0.1:8283").secret("s")
                .timeout(Duration.ofMillis(300)).build()) {
            assertEquals(Duration.ofMillis(300), push.connectTimeout());
        }
    }

    @Test
    void adminUrlsSplitOnCommas() {
        try (PushClient push = PushClient.builder().adminUrls("http://a:1, http://b:2", "http://c:3")
                .secret("s").build()) {
            assertEquals(List.of("http://a:1/", "http://b:2/", "http://c:3/"), push.adminUrls());
        }
    }

    @Test
    void newBuilderKeepsEverySettingAndChangesOnlyWhatIsSet() {
        JsonMapper mapper = JsonMapper.builder().build();
        try (PushClient push = PushClient.builder().adminUrls("http://a:1").secret("s").objectMapper(mapper)
                .timeout(Duration.ofSeconds(9)).attemptTimeout(Duration.ofMillis(700))
                .circuitCoolDown(Duration.ofSeconds(3)).maxBodyBytes(4096).build();
             PushClient derived = push.newBuilder().timeout(Duration.ofSeconds(2)).build()) {
            assertEquals(push.adminUrls(), derived.adminUrls());
            assertEquals(Duration.ofMillis(700), derived.attemptTimeout());
            assertEquals(Duration.ofSeconds(3), derived.circuitCoolDown());
            assertEquals(4096, derived.maxBodyBytes());
            assertSame(mapper, derived.objectMapper());
            assertEquals(Duration.ofSeconds(2), derived.timeout());
            assertEquals(Duration.ofSeconds(9), push.timeout());
            assertFalse(derived.toString().contains("s]"), "toString never shows the secret");
        }
    }

    @Test
    void errorAnswersMapToTheirExceptions() {
        assertInstanceOf(UnauthorizedException.class, PushException.of(401, "unauthorized", "m"));
        assertInstanceOf(ClientNotFoundException.class, PushException.of(404, "client_not_found", "m"));
        assertInstanceOf(BadRequestException.class, PushException.of(400, "bad_request", "m"));
        assertInstanceOf(BadRequestException.class, PushException.of(413, "payload_too_large", "m"));
        assertInstanceOf(UnavailableException.class, PushException.of(503, "unavailable", "m"));
        assertInstanceOf(UnavailableException.class, PushException.of(500, "internal_error", "m"));
        PushException other = PushException.of(404, "unknown_method", "no admin method 'x'");
        assertEquals(PushException.class, other.getClass());
        assertEquals("unknown_method", other.code());
        assertEquals(404, other.status());
    }
}
