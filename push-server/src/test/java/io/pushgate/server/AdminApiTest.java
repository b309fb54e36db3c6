package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.AdminTestClient.Reply;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every admin method of the contract, over HTTP, against a real server with real WebSocket clients. */
class AdminApiTest {
    static final String SECRET = "admin-api-it-secret";
    static PushServer server;
    static OkHttpClient http;
    static AdminTestClient admin;

    @BeforeAll
    static void start() {
        server = PushServer.start(ServerConfig.forTesting(SECRET));
        http = new OkHttpClient();
        admin = new AdminTestClient(http, server.adminUri(), SECRET);
    }

    @AfterAll
    static void stop() {
        server.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @AfterEach
    void everyoneLeft() {
        Poll.until(Duration.ofSeconds(5), "all test connections gone", () -> server.presence().clientCount() == 0);
    }

    WsTestClient connect() {
        return WsTestClient.connect(http, server.wsUri());
    }

    static Set<String> strings(JsonNode array) {
        Set<String> result = new HashSet<>();
        array.forEach(n -> result.add(n.stringValue()));
        return result;
    }

    @Test
    void initFrameCarriesAnUnguessableUrlSafeClientId() {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            String id = a.clientId();
            assertTrue(id.matches("[A-Za-z0-9_.-]{1,64}"), id);
            assertTrue(id.substring(id.indexOf('.') + 1).length() >= 22, "128 bits in base64url: " + id);
            assertFalse(id.equals(b.clientId()));
        }
    }

    @Test
    void bindUidThenSendToUidReachesEveryConnectionOfTheUid() {
        try (WsTestClient phone = connect(); WsTestClient laptop = connect(); WsTestClient other = connect()) {
            assertEquals(200, admin.call("bind_uid", "client_id", phone.clientId(), "uid", "u1").status());
            assertEquals(200, admin.call("bind_uid", "client_id", laptop.clientId(), "uid", "u1").status());
            admin.call("bind_uid", "client_id", other.clientId(), "uid", "u2");

            Reply sent = admin.call("send_to_uid", "uid", "u1", "data", "hello");
            assertEquals(2, sent.get("delivered").intValue());
            assertEquals("hello", phone.next());
            assertEquals("hello", laptop.next());

            assertEquals(Set.of(phone.clientId(), laptop.clientId()),
                    strings(admin.call("get_client_ids_by_uid", "uid", "u1").get("client_ids")));
            assertEquals("u1", admin.call("get_uid_by_client_id", "client_id", phone.clientId())
                    .get("uid").stringValue());
            assertTrue(admin.call("is_uid_online", "uid", "u1").get("online").booleanValue());
            assertEquals(Set.of("u1", "u2"), strings(admin.call("get_all_uids").get("uids")));
            assertEquals(2, admin.call("get_uid_count").get("count").intValue());
            assertEquals(0, other.pending());
        }
    }

    @Test
    void sendToManyUidsWithExcludeSkipsTheExcludedConnection() {
        try (WsTestClient a = connect(); WsTestClient a2 = connect(); WsTestClient b = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "a");
            admin.call("bind_uid", "client_id", a2.clientId(), "uid", "a");
            admin.call("bind_uid", "client_id", b.clientId(), "uid", "b");
            Reply sent = admin.call("send_to_uid", "uids", List.of("a", "b"), "data", Map.of("n", 1),
                    "exclude_client_ids", List.of(a2.clientId()));
            assertEquals(2, sent.get("delivered").intValue());
            assertEquals("{\"n\":1}", a.next());
            assertEquals("{\"n\":1}", b.next());
            assertEquals(0, a2.pending());
        }
    }

    @Test
    void numericUidIsTakenAsItsDecimalString() {
        try (WsTestClient a = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", 42);
            assertEquals("42", admin.call("get_uid_by_client_id", "client_id", a.clientId()).get("uid").stringValue());
            assertEquals(1, admin.call("send_to_uid", "uid", "42", "data", "x").get("delivered").intValue());
            assertEquals("x", a.next());
        }
    }

    @Test
    void rebindMovesTheConnectionAndUnbindRemovesIt() {
        try (WsTestClient a = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "first");
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "second");
            assertFalse(admin.call("is_uid_online", "uid", "first").get("online").booleanValue());
            admin.call("unbind_uid", "client_id", a.clientId(), "uid", "second");
            assertFalse(admin.call("is_uid_online", "uid", "second").get("online").booleanValue());
            assertTrue(admin.call("get_uid_by_client_id", "client_id", a.clientId()).get("uid").isNull());
        }
    }

    @Test
    void groupsJoinSendLeaveAndUngroup() {
        try (WsTestClient a = connect(); WsTestClient b = connect(); WsTestClient c = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "ua");
            admin.call("bind_uid", "client_id", b.clientId(), "uid", "ub");
            for (WsTestClient client : List.of(a, b)) {
                assertEquals(200, admin.call("join_group", "client_id", client.clientId(), "group", "room").status());
            }
            admin.call("join_group", "client_id", c.clientId(), "group", "other");

            assertEquals(2, admin.call("send_to_group", "group", "room", "data", "hi room").get("delivered").intValue());
            assertEquals("hi room", a.next());
            assertEquals("hi room", b.next());
            Reply excluded = admin.call("send_to_group", "groups", List.of("room", "other"), "data", "all",
                    "exclude_client_ids", List.of(b.clientId()));
            assertEquals(2, excluded.get("delivered").intValue());
            assertEquals("all", a.next());
            assertEquals("all", c.next());

            assertEquals(Set.of(a.clientId(), b.clientId()),
                    strings(admin.call("get_client_ids_by_group", "group", "room").get("client_ids")));
            assertEquals(Set.of("ua", "ub"), strings(admin.call("get_uids_by_group", "group", "room").get("uids")));
            assertEquals(2, admin.call("get_client_count", "group", "room").get("count").intValue());
            assertEquals(2, admin.call("get_uid_count", "group", "room").get("count").intValue());
            JsonNode groups = admin.call("get_all_groups").get("groups");
            assertEquals(2, groups.get("room").intValue());
            assertEquals(1, groups.get("other").intValue());

            admin.call("leave_group", "client_id", a.clientId(), "group", "room");
            assertEquals(1, admin.call("get_client_count", "group", "room").get("count").intValue());
            admin.call("ungroup", "group", "room");
            assertEquals(0, admin.call("get_client_count", "group", "room").get("count").intValue());
            assertNull(admin.call("get_all_groups").get("groups").get("room"), "an empty group disappears");
            assertEquals(0, admin.call("send_to_group", "group", "room", "data", "x").get("delivered").intValue());
        }
    }

    @Test
    void sendToClientAndSendToAllWithExclude() {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            assertEquals(1, admin.call("send_to_client", "client_id", a.clientId(), "data", "only a")
                    .get("delivered").intValue());
            assertEquals("only a", a.next());
            assertEquals(2, admin.call("send_to_client", "client_ids", List.of(a.clientId(), b.clientId(), "nope.x"),
                    "data", List.of(1, 2)).get("delivered").intValue());
            assertEquals("[1,2]", a.next());
            assertEquals("[1,2]", b.next());
            assertEquals(1, admin.call("send_to_all", "data", "bye", "exclude_client_ids", List.of(a.clientId()))
                    .get("delivered").intValue());
            assertEquals("bye", b.next());
            assertEquals(0, a.pending());
        }
    }

    @Test
    void dataOtherThanAStringGoesOutAsCompactJson() {
        try (WsTestClient a = connect()) {
            admin.callRaw("send_to_client", "{\"client_id\":\"" + a.clientId()
                    + "\", \"data\": { \"type\" : \"message\", \"n\" : 1.50, \"ok\": true, \"z\": null }}", SECRET);
            assertEquals("{\"type\":\"message\",\"n\":1.50,\"ok\":true,\"z\":null}", a.next());
            admin.call("send_to_client", "client_id", a.clientId(), "data", "{\"already\":\"json text\"}");
            assertEquals("{\"already\":\"json text\"}", a.next());
        }
    }

    @Test
    void sessionsSetReplacesUpdateMerges() {
        try (WsTestClient a = connect()) {
            assertEquals(200, admin.call("set_session", "client_id", a.clientId(),
                    "session", Map.of("name", "Ann", "lang", "en")).status());
            admin.call("update_session", "client_id", a.clientId(), "session", Map.of("lang", "zh", "vip", true));
            JsonNode session = admin.call("get_session", "client_id", a.clientId()).get("session");
            assertEquals("Ann", session.get("name").stringValue());
            assertEquals("zh", session.get("lang").stringValue());
            assertTrue(session.get("vip").booleanValue());
            admin.call("set_session", "client_id", a.clientId(), "session", Map.of("only", 1));
            assertEquals(1, admin.call("get_session", "client_id", a.clientId()).get("session").size());
            assertTrue(admin.call("get_session", "client_id", "nobody.x").get("session").isNull());
            assertEquals("client_not_found", admin.call("set_session", "client_id", "nobody.x",
                    "session", Map.of()).errorCode());
        }
    }

    @Test
    void clientInfoAndIsOnline() {
        try (WsTestClient a = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "info");
            admin.call("join_group", "client_id", a.clientId(), "group", "g1");
            Reply info = admin.call("get_client_info", "client_id", a.clientId());
            assertTrue(info.get("online").booleanValue());
            assertEquals("info", info.get("uid").stringValue());
            assertEquals(Set.of("g1"), strings(info.get("groups")));
            assertTrue(info.get("connected_at").stringValue().endsWith("Z"));
            assertTrue(admin.call("is_online", "client_id", a.clientId()).get("online").booleanValue());

            Reply gone = admin.call("get_client_info", "client_id", "nobody.x");
            assertFalse(gone.get("online").booleanValue());
            assertTrue(gone.get("uid").isNull());
            assertFalse(admin.call("is_online", "client_id", "nobody.x").get("online").booleanValue());
        }
    }

    @Test
    void closeClientSendsDataThenCloses() {
        WsTestClient a = connect();
        Reply closed = admin.call("close_client", "client_id", a.clientId(), "data", "kicked");
        assertTrue(closed.get("closed").booleanValue());
        assertEquals("kicked", a.next());
        assertEquals(1000, a.awaitClose());
        assertFalse(admin.call("close_client", "client_id", "nobody.x").get("closed").booleanValue());
    }

    @Test
    void disconnectLeavesUidAndGroupsAtOnce() {
        WsTestClient a = connect();
        admin.call("bind_uid", "client_id", a.clientId(), "uid", "leaver");
        admin.call("join_group", "client_id", a.clientId(), "group", "left-behind");
        admin.call("set_session", "client_id", a.clientId(), "session", Map.of("k", "v"));
        a.cancel(); // no closing handshake: a dropped TCP connection
        Poll.until(Duration.ofSeconds(5), "client gone",
                () -> !admin.call("is_online", "client_id", a.clientId()).get("online").booleanValue());
        assertFalse(admin.call("is_uid_online", "uid", "leaver").get("online").booleanValue());
        assertEquals(0, admin.call("get_client_count", "group", "left-behind").get("count").intValue());
        assertTrue(admin.call("get_session", "client_id", a.clientId()).get("session").isNull());
    }

    @Test
    void bindAndJoinForAnUnknownClientAre404() {
        Reply bind = admin.call("bind_uid", "client_id", "nobody.x", "uid", "u");
        assertEquals(404, bind.status());
        assertEquals("client_not_found", bind.errorCode());
        assertEquals("client_not_found", admin.call("join_group", "client_id", "nobody.x", "group", "g").errorCode());
    }

    @Test
    void statsCountsClientsAndFrames() {
        try (WsTestClient a = connect()) {
            admin.call("bind_uid", "client_id", a.clientId(), "uid", "s");
            long before = admin.call("stats").get("frames_sent").longValue();
            admin.call("send_to_uid", "uid", "s", "data", "x");
            a.next();
            Reply stats = admin.call("stats");
            assertEquals(1, stats.get("clients").intValue());
            assertEquals(1, stats.get("uids").intValue());
            assertEquals(before + 1, stats.get("frames_sent").longValue());
            assertEquals(server.config().nodeId(), stats.get("node_id").stringValue());
        }
    }

    @Test
    void batchRunsEveryOpAndReportsEachError() {
        try (WsTestClient a = connect()) {
            Reply batch = admin.call("batch", "ops", List.of(
                    Map.of("method", "bind_uid", "client_id", a.clientId(), "uid", "batched"),
                    Map.of("method", "send_to_uid", "uid", "batched", "data", "via batch"),
                    Map.of("method", "bind_uid", "client_id", "nobody.x", "uid", "u"),
                    Map.of("method", "no_such_method"),
                    Map.of("method", "batch", "ops", List.of()),
                    Map.of("method", "is_uid_online", "uid", "batched")));
            assertEquals(200, batch.status());
            JsonNode results = batch.get("results");
            assertEquals(6, results.size());
            assertEquals(0, results.get(0).size());
            assertEquals(1, results.get(1).get("delivered").intValue());
            assertEquals("client_not_found", results.get(2).path("error").path("code").stringValue());
            assertEquals("unknown_method", results.get(3).path("error").path("code").stringValue());
            assertEquals("bad_request", results.get(4).path("error").path("code").stringValue());
            assertEquals(404, results.get(2).path("error").path("status").intValue(), "each error keeps its status");
            assertEquals(404, results.get(3).path("error").path("status").intValue());
            assertEquals(400, results.get(4).path("error").path("status").intValue());
            assertTrue(results.get(4).path("error").path("message").isString());
            assertTrue(results.get(5).get("online").booleanValue());
            assertEquals("via batch", a.next());
        }
    }

    @Test
    void wrongOrMissingSecretIs401() {
        assertEquals(401, admin.callRaw("stats", "{}", "wrong").status());
        Reply missing = admin.callRaw("stats", "{}", null);
        assertEquals(401, missing.status());
        assertEquals("unauthorized", missing.errorCode());
        assertEquals(401, admin.get("/metrics", "wrong").status());
    }

    @Test
    void malformedAndMistypedBodiesAre400() {
        assertEquals("bad_request", admin.callRaw("bind_uid", "{not json", SECRET).errorCode());
        assertEquals("bad_request", admin.callRaw("bind_uid", "[1,2]", SECRET).errorCode());
        Reply missing = admin.call("bind_uid", "client_id", "x.y");
        assertEquals(400, missing.status());
        assertTrue(missing.body().path("error").path("message").stringValue().contains("uid"));
        assertEquals("bad_request", admin.call("bind_uid", "client_id", Map.of(), "uid", "u").errorCode());
        assertEquals("bad_request", admin.call("send_to_uid", "uid", "u").errorCode());
        assertEquals("bad_request", admin.call("send_to_uid", "uid", "u", "uids", List.of("v"), "data", "x")
                .errorCode());
        assertEquals("bad_request", admin.call("send_to_uid", "uids", "notalist", "data", "x").errorCode());
        assertEquals("bad_request", admin.call("set_session", "client_id", "x.y", "session", "nope").errorCode());
        assertEquals("bad_request", admin.call("bind_uid", "client_id", "x.y", "uid", "").errorCode());
    }

    @Test
    void unknownMethodIs404AndGetIs405() {
        Reply unknown = admin.call("no_such_method");
        assertEquals(404, unknown.status());
        assertEquals("unknown_method", unknown.errorCode());
        assertEquals(405, admin.get("/v1/stats", SECRET).status());
    }

    @Test
    void bodyOverTheLimitIs413() {
        String big = "{\"data\":\"" + "x".repeat(server.config().maxAdminBodyBytes()) + "\"}";
        Reply reply = admin.callRaw("send_to_all", big, SECRET);
        assertEquals(413, reply.status());
        assertEquals("payload_too_large", reply.errorCode());
    }

    @Test
    void javasHttpClientOfferingH2cIsAnsweredOverHttp1() throws Exception {
        java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient(); // offers an h2c upgrade
        for (int i = 0; i < 2; i++) {
            java.net.http.HttpResponse<String> response = jdk.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.adminUri() + "/v1/get_client_count"))
                    .header("Authorization", "Bearer " + SECRET)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"group\":\"none\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(0, AdminTestClient.JSON.readTree(response.body()).get("count").intValue());
        }
    }

    @Test
    void healthIsOpenAndMetricsArePrometheusText() {
        Reply health = admin.get("/health", null);
        assertEquals(200, health.status());
        assertEquals("ok", health.get("status").stringValue());
        admin.call("stats");
        String metrics = admin.getText("/metrics");
        assertTrue(metrics.contains("pushgate_connections "), metrics);
        assertTrue(metrics.contains("pushgate_frames_sent_total"), metrics);
        assertTrue(metrics.contains("pushgate_admin_call_seconds_count{method=\"stats\"}"), metrics);
    }
}
