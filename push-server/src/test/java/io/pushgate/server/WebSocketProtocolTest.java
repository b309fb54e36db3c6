package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.RawWebSocket;
import io.pushgate.server.testing.WsTestClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket side of the contract: init, ping, push-only, limits, Origin, capacity, connect tokens. */
class WebSocketProtocolTest {
    static final String SECRET = "ws-protocol-it-secret";
    static final String CONNECT_SECRET = "a-connect-secret-of-at-least-32-bytes!";
    private static final Map<String, String> CONNECT_TOKENS = Map.of("PUSH_CONNECT_SECRET", CONNECT_SECRET);
    static OkHttpClient http;

    @BeforeAll
    static void client() {
        http = new OkHttpClient();
    }

    @AfterAll
    static void shutdown() {
        http.dispatcher().executorService().shutdown();
    }

    static PushServer start(ServerConfig config) {
        return PushServer.start(config);
    }

    @Test
    void textPingIsAnsweredWithPongAndOtherTextIsIgnored() {
        try (PushServer server = start(ServerConfig.forTesting(SECRET));
             WsTestClient client = WsTestClient.connect(http, server.wsUri())) {
            client.send("hello server");
            client.send("{\"type\":\"bind\",\"uid\":\"me\"}");
            client.send("{\"type\":\"ping\"}");
            assertEquals("{\"type\":\"pong\"}", client.next(), "pong, and nothing for the ignored frames");
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), SECRET);
            assertFalse(admin.call("is_uid_online", "uid", "me").get("online").booleanValue(),
                    "a client frame never binds");
        }
    }

    @Test
    void frameOver4KiBCloses1009() {
        try (PushServer server = start(ServerConfig.forTesting(SECRET));
             WsTestClient client = WsTestClient.connect(http, server.wsUri())) {
            client.send("x".repeat(4097));
            assertEquals(1009, client.awaitClose());
        }
    }

    @Test
    void muchLargerFrameAlsoCloses1009() {
        try (PushServer server = start(ServerConfig.forTesting(SECRET));
             WsTestClient client = WsTestClient.connect(http, server.wsUri())) {
            client.send("y".repeat(100_000));
            assertEquals(1009, client.awaitClose());
            io.pushgate.server.testing.Poll.until(Duration.ofSeconds(5), "connection dropped",
                    () -> server.hub().size() == 0);
        }
    }

    @Test
    void binaryFrameCloses1003() {
        try (PushServer server = start(ServerConfig.forTesting(SECRET));
             WsTestClient client = WsTestClient.connect(http, server.wsUri())) {
            client.send(ByteString.encodeUtf8("binary"));
            assertEquals(1003, client.awaitClose());
        }
    }

    @Test
    void unmaskedFrameCloses1002() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET));
             RawWebSocket client = RawWebSocket.connect(server.wsUri())) {
            assertTrue(client.read().text().contains("\"init\""));
            client.sendUnmasked(RawWebSocket.TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1002, client.readUntil(RawWebSocket.CLOSE).closeCode(), "no pong: a protocol error");
            io.pushgate.server.testing.Poll.until(Duration.ofSeconds(8), "connection dropped",
                    () -> server.hub().size() == 0);
        }
    }

    @Test
    void foreignOriginIsRefusedWith403() throws Exception {
        ServerConfig config = ServerConfig.forTesting(SECRET, Map.of("PUSH_ALLOWED_ORIGINS", "https://shop.example"));
        try (PushServer server = start(config)) {
            try (RawWebSocket evil = RawWebSocket.connect(server.wsUri(), "https://evil.example", 0)) {
                assertEquals(403, evil.status());
            }
            try (RawWebSocket good = RawWebSocket.connect(server.wsUri(), "https://shop.example", 0)) {
                assertEquals(101, good.status());
                assertTrue(good.read().text().contains("\"init\""));
            }
        }
    }

    @Test
    void connectionsPastTheMaximumAreRefusedWith503() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET, Map.of("PUSH_MAX_CONNECTIONS", "2")));
             WsTestClient a = WsTestClient.connect(http, server.wsUri());
             WsTestClient b = WsTestClient.connect(http, server.wsUri())) {
            try (RawWebSocket third = RawWebSocket.connect(server.wsUri())) {
                assertEquals(503, third.status());
            }
            a.close();
            assertEquals(1000, a.awaitClose());
            // the slot is released once the server has seen the close
            io.pushgate.server.testing.Poll.until(Duration.ofSeconds(5), "slot released",
                    () -> server.hub().size() == 1);
            try (RawWebSocket again = RawWebSocket.connect(server.wsUri())) {
                assertEquals(101, again.status());
            }
        }
    }

    @Test
    void otherPathsAre404AndPlainHttpGets426OrHealth() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET))) {
            try (RawWebSocket wrongPath = RawWebSocket.connect(server.wsUri().resolve("/chat"))) {
                assertEquals(404, wrongPath.status());
            }
            String base = "http://127.0.0.1:" + server.wsUri().getPort();
            try (Response plain = http.newCall(new Request.Builder().url(base + "/").build()).execute()) {
                assertEquals(426, plain.code());
                assertTrue(plain.body().string().contains("upgrade_required"));
            }
            try (Response health = http.newCall(new Request.Builder().url(base + "/health").build()).execute()) {
                assertEquals(200, health.code());
            }
        }
    }

    @Test
    void theWebSocketListenerHonoursItsHost() throws Exception {
        // 127.0.0.2, neither the default (0.0.0.0) nor the usual loopback: a listener that ignored its host would
        // either accept on 127.0.0.1 too (bound to every address) or refuse on 127.0.0.2 (bound to another one)
        ServerConfig config = ServerConfig.fromEnv(Map.of("PUSH_WS_HOST", "127.0.0.2", "PUSH_WS_PORT", "0",
                "PUSH_ADMIN_PORT", "0", "PUSH_ADMIN_SECRET", SECRET));
        try (PushServer server = start(config)) {
            URI ws = server.wsUri();
            assertEquals("127.0.0.2", ws.getHost());
            try (WsTestClient client = WsTestClient.connect(http, ws)) {
                assertNotNull(client.clientId(), "a client on 127.0.0.2 gets its init frame");
            }
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", ws.getPort()), 2000);
                throw new AssertionError("bound to more than 127.0.0.2");
            } catch (java.net.ConnectException expected) {
                // refused: the listener is on 127.0.0.2 only
            }
        }
    }

    @Test
    void connectTokenBindsTheUidAtOnce() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET, CONNECT_TOKENS))) {
            String token = token(CONNECT_SECRET, "alice", Instant.now().plusSeconds(60));
            try (WsTestClient client = WsTestClient.connect(http, URI.create(server.wsUri() + "?token=" + token))) {
                AdminTestClient admin = new AdminTestClient(http, server.adminUri(), SECRET);
                assertEquals("alice", admin.call("get_uid_by_client_id", "client_id", client.clientId())
                        .get("uid").stringValue());
            }
        }
    }

    @Test
    void missingExpiredOrForgedTokensAreRefusedAtTheHandshake() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET, CONNECT_TOKENS))) {
            String expired = token(CONNECT_SECRET, "alice", Instant.now().minusSeconds(5));
            String forged = token("some-other-secret-that-is-32-bytes-long", "alice", Instant.now().plusSeconds(60));
            for (String query : new String[] {"", "?token=" + expired, "?token=" + forged, "?token=garbage"}) {
                try (RawWebSocket refused = RawWebSocket.connect(URI.create(server.wsUri() + query))) {
                    assertEquals(401, refused.status(), "token query: " + query);
                }
            }
            assertEquals(0, server.hub().size());
        }
    }

    @Test
    void tokensOutsideTheRulesAreRefusedAtTheHandshake() throws Exception {
        try (PushServer server = start(ServerConfig.forTesting(SECRET, CONNECT_TOKENS))) {
            Instant now = Instant.now();
            Date inAMinute = Date.from(now.plusSeconds(60));
            Map<String, JWTClaimsSet> refused = Map.of(
                    "nbf in the future", new JWTClaimsSet.Builder().subject("alice").expirationTime(inAMinute)
                            .notBeforeTime(Date.from(now.plusSeconds(300))).build(),
                    "no exp", new JWTClaimsSet.Builder().subject("alice").build(),
                    "exp beyond the maximum", new JWTClaimsSet.Builder().subject("alice")
                            .expirationTime(Date.from(now.plus(Duration.ofDays(2)))).build(),
                    "sub of 257 characters", new JWTClaimsSet.Builder().subject("u".repeat(257))
                            .expirationTime(inAMinute).build(),
                    "empty sub", new JWTClaimsSet.Builder().subject("").expirationTime(inAMinute).build());
            for (Map.Entry<String, JWTClaimsSet> c : refused.entrySet()) {
                String query = "?token=" + token(CONNECT_SECRET, c.getValue());
                try (RawWebSocket client = RawWebSocket.connect(URI.create(server.wsUri() + query))) {
                    assertEquals(401, client.status(), c.getKey());
                }
            }
            assertEquals(0, server.hub().size());
            // within the rules: a sub of 256 characters, nbf just passed, exp at the maximum
            String uid = "u".repeat(256);
            String valid = token(CONNECT_SECRET, new JWTClaimsSet.Builder().subject(uid)
                    .notBeforeTime(Date.from(now.minusSeconds(1)))
                    .expirationTime(Date.from(now.plus(Duration.ofDays(1)))).build());
            try (WsTestClient client = WsTestClient.connect(http, URI.create(server.wsUri() + "?token=" + valid))) {
                AdminTestClient admin = new AdminTestClient(http, server.adminUri(), SECRET);
                assertEquals(uid, admin.call("get_uid_by_client_id", "client_id", client.clientId())
                        .get("uid").stringValue());
            }
        }
    }

    @Test
    void clientIdsAreNeverReused() {
        try (PushServer server = start(ServerConfig.forTesting(SECRET))) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 50; i++) {
                try (WsTestClient client = WsTestClient.connect(http, server.wsUri())) {
                    assertTrue(seen.add(client.clientId()));
                }
            }
            assertNull(server.hub().get("never.issued"));
        }
    }

    static String token(String secret, String uid, Instant expires) throws Exception {
        return token(secret, new JWTClaimsSet.Builder().subject(uid).expirationTime(Date.from(expires)).build());
    }

    static String token(String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
