package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three push-server nodes in one JVM over the local Redis, sharing one key prefix: clients spread across them,
 * admin calls made to a node that does not hold the client.
 */
class ClusterTest {
    private static final String SECRET = "cluster-test-secret";
    private static final OkHttpClient HTTP = httpClient();

    private final String prefix = RedisTestSupport.newPrefix();
    private final List<PushServer> nodes = new ArrayList<>();
    private final List<WsTestClient> clients = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();

    private static OkHttpClient httpClient() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequestsPerHost(1000); // every node is 127.0.0.1: the default 5 would queue handshakes
        return new OkHttpClient.Builder().dispatcher(dispatcher).build();
    }

    @BeforeEach
    void redis() {
        RedisTestSupport.assumeRedis();
    }

    @AfterEach
    void stopAll() {
        clients.forEach(WsTestClient::cancel);
        nodes.forEach(PushServer::close);
        proxies.forEach(TcpProxy::close);
        if (!nodes.isEmpty()) {
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    private PushServer node(String id, String redisUri, int heartbeatMillis) {
        PushServer node = PushServer.start(ServerConfig.forTesting(SECRET, Map.of("PUSH_REDIS_URI", redisUri,
                "PUSH_NODE_ID", id, "PUSH_REDIS_PREFIX", prefix,
                "PUSH_REDIS_HEARTBEAT_MS", String.valueOf(heartbeatMillis))));
        nodes.add(node);
        return node;
    }

    private PushServer node(String id) {
        return node(id, RedisTestSupport.URI, 1000);
    }

    private static Admin admin(PushServer node) {
        return new Admin(new AdminTestClient(HTTP, node.adminUri(), SECRET));
    }

    /** A node's admin API; {@code ok} asserts 200. */
    private record Admin(AdminTestClient client) {
        JsonNode ok(String method, Map<String, ?> body) {
            AdminTestClient.Reply reply = client.call(method, body);
            assertEquals(200, reply.status(), method + " -> " + reply.body());
            return reply.body();
        }

        JsonNode ok(String method) {
            return ok(method, Map.of());
        }

        AdminTestClient.Reply call(String method, Map<String, ?> body) {
            return client.call(method, body);
        }
    }

    private WsTestClient connect(PushServer node) {
        WsTestClient client = WsTestClient.connect(HTTP, node.wsUri());
        clients.add(client);
        return client;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> result = new HashSet<>();
        array.forEach(e -> result.add(e.asString()));
        return result;
    }

    /** {@link Poll#until}, returning how long it took in milliseconds (heartbeats are timers: nothing to latch on). */
    private static long awaitTrue(long millis, String what, BooleanSupplier condition) {
        long start = System.nanoTime();
        Poll.until(Duration.ofMillis(millis), what, condition);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void assertNextIs(WsTestClient client, String expected) {
        assertEquals(expected, client.next(), "frame for " + client.clientId());
    }

    /** Proves that nothing came before: frames to one connection keep their order, so the next one is the marker. */
    private static void assertNothingBefore(Admin admin, WsTestClient client) throws Exception {
        admin.ok("send_to_client", Map.of("client_id", client.clientId(), "data", "marker"));
        assertNextIs(client, "marker");
    }

    @Test
    void everyNodeAnswersForTheWholeCluster() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        PushServer c = node("n3");
        WsTestClient a1 = connect(a);
        WsTestClient a2 = connect(a);
        WsTestClient b1 = connect(b);
        WsTestClient b2 = connect(b);
        WsTestClient c1 = connect(c);
        WsTestClient c2 = connect(c);
        assertTrue(a1.clientId().startsWith("n1.") && b1.clientId().startsWith("n2.") && c1.clientId().startsWith("n3."));

        // every change made through a node that does not hold the client
        admin(c).ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "alice"));
        admin(c).ok("bind_uid", Map.of("client_id", b1.clientId(), "uid", "alice"));
        admin(a).ok("bind_uid", Map.of("client_id", b2.clientId(), "uid", "bob"));
        admin(b).ok("bind_uid", Map.of("client_id", c1.clientId(), "uid", "carol"));
        for (WsTestClient member : List.of(a1, b2, c1, c2)) {
            admin(member == a1 ? b : a).ok("join_group", Map.of("client_id", member.clientId(), "group", "room"));
        }
        admin(c).ok("join_group", Map.of("client_id", a2.clientId(), "group", "lobby"));

        for (PushServer node : nodes) {
            Admin admin = admin(node);
            assertEquals(Set.of(a1.clientId(), b1.clientId()),
                    strings(admin.ok("get_client_ids_by_uid", Map.of("uid", "alice")).get("client_ids")));
            assertTrue(admin.ok("is_uid_online", Map.of("uid", "carol")).get("online").asBoolean());
            assertFalse(admin.ok("is_uid_online", Map.of("uid", "nobody")).get("online").asBoolean());
            assertEquals("carol", admin.ok("get_uid_by_client_id", Map.of("client_id", c1.clientId())).get("uid").asString());
            assertTrue(admin.ok("get_uid_by_client_id", Map.of("client_id", a2.clientId())).get("uid").isNull());
            assertEquals(Set.of(a1.clientId(), b2.clientId(), c1.clientId(), c2.clientId()),
                    strings(admin.ok("get_client_ids_by_group", Map.of("group", "room")).get("client_ids")));
            assertEquals(Set.of("alice", "bob", "carol"),
                    strings(admin.ok("get_uids_by_group", Map.of("group", "room")).get("uids")));
            assertEquals(Set.of("alice", "bob", "carol"), strings(admin.ok("get_all_uids").get("uids")));
            assertEquals(AdminTestClient.JSON.readTree("{\"room\":4,\"lobby\":1}"), admin.ok("get_all_groups").get("groups"));
            assertEquals(6, admin.ok("get_client_count").get("count").asInt());
            assertEquals(4, admin.ok("get_client_count", Map.of("group", "room")).get("count").asInt());
            assertEquals(3, admin.ok("get_uid_count").get("count").asInt());
            assertEquals(3, admin.ok("get_uid_count", Map.of("group", "room")).get("count").asInt());
            assertTrue(admin.ok("is_online", Map.of("client_id", c2.clientId())).get("online").asBoolean());
            assertFalse(admin.ok("is_online", Map.of("client_id", "n2.AAAAAAAAAAAAAAAAAAAAAA")).get("online").asBoolean());
            JsonNode info = admin.ok("get_client_info", Map.of("client_id", a1.clientId()));
            assertTrue(info.get("online").asBoolean());
            assertEquals("alice", info.get("uid").asString());
            assertEquals(Set.of("room"), strings(info.get("groups")));
            JsonNode stats = admin.ok("stats");
            assertEquals(6, stats.get("clients").asInt());
            assertEquals(3, stats.get("uids").asInt());
            assertEquals(2, stats.get("groups").asInt());
            assertEquals(3, stats.get("nodes").asInt());
            assertEquals(2, stats.get("node_clients").asInt());
        }

        Admin viaB = admin(b);
        assertEquals(404, viaB.call("bind_uid", Map.of("client_id", "n3.AAAAAAAAAAAAAAAAAAAAAA", "uid", "x")).status());
        assertEquals("client_not_found", viaB.call("join_group",
                Map.of("client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA", "group", "g")).body().path("error").path("code").asString());

        // sessions: set through one node, merged through another, read through the third
        admin(a).ok("set_session", Map.of("client_id", c1.clientId(), "session", Map.of("name", "Carol", "n", 1)));
        admin(b).ok("update_session", Map.of("client_id", c1.clientId(), "session", Map.of("n", 2)));
        assertEquals(AdminTestClient.JSON.readTree("{\"name\":\"Carol\",\"n\":2}"),
                admin(c).ok("get_session", Map.of("client_id", c1.clientId())).get("session"));
        assertTrue(admin(c).ok("get_session", Map.of("client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA")).get("session").isNull());

        JsonNode batch = admin(c).ok("batch", Map.of("ops", List.of(
                Map.of("method", "is_online", "client_id", a1.clientId()),
                Map.of("method", "get_uid_by_client_id", "client_id", b2.clientId()),
                Map.of("method", "bind_uid", "client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA", "uid", "x"))));
        assertTrue(batch.get("results").get(0).get("online").asBoolean());
        assertEquals("bob", batch.get("results").get(1).get("uid").asString());
        assertEquals("client_not_found", batch.get("results").get(2).path("error").path("code").asString());

        // unbind, leave and ungroup across nodes
        admin(c).ok("unbind_uid", Map.of("client_id", b1.clientId(), "uid", "alice"));
        assertEquals(Set.of(a1.clientId()), strings(admin(a).ok("get_client_ids_by_uid", Map.of("uid", "alice")).get("client_ids")));
        admin(a).ok("leave_group", Map.of("client_id", c2.clientId(), "group", "room"));
        assertEquals(3, admin(b).ok("get_client_count", Map.of("group", "room")).get("count").asInt());
        admin(b).ok("ungroup", Map.of("group", "room"));
        assertEquals(AdminTestClient.JSON.readTree("{\"lobby\":1}"), admin(c).ok("get_all_groups").get("groups"));
        assertEquals(Set.of(), strings(admin(a).ok("get_client_info", Map.of("client_id", c1.clientId())).get("groups")));
    }

    @Test
    void framesReachEveryNodeAndExcludeListsHoldAcrossNodes() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        PushServer c = node("n3");
        WsTestClient a1 = connect(a);
        WsTestClient a2 = connect(a);
        WsTestClient b1 = connect(b);
        WsTestClient b2 = connect(b);
        WsTestClient c1 = connect(c);
        WsTestClient c2 = connect(c);
        Admin viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "alice"));
        viaB.ok("bind_uid", Map.of("client_id", b1.clientId(), "uid", "alice"));
        viaB.ok("bind_uid", Map.of("client_id", c1.clientId(), "uid", "carol"));
        for (WsTestClient member : List.of(a1, b2, c1, c2)) {
            viaB.ok("join_group", Map.of("client_id", member.clientId(), "group", "room"));
        }

        assertEquals(2, viaB.ok("send_to_uid", Map.of("uid", "alice", "data", Map.of("m", 1))).get("delivered").asInt());
        assertNextIs(a1, "{\"m\":1}");
        assertNextIs(b1, "{\"m\":1}");

        Admin viaC = admin(c);
        assertEquals(2, viaC.ok("send_to_uid", Map.of("uids", List.of("alice", "carol"), "data", "two",
                "exclude_client_ids", List.of(b1.clientId()))).get("delivered").asInt());
        assertNextIs(a1, "two");
        assertNextIs(c1, "two");
        assertNothingBefore(viaC, b1);

        assertEquals(3, admin(a).ok("send_to_group", Map.of("group", "room", "data", "three",
                "exclude_client_ids", List.of(c2.clientId()))).get("delivered").asInt());
        for (WsTestClient member : List.of(a1, b2, c1)) {
            assertNextIs(member, "three");
        }
        assertNothingBefore(viaB, c2);

        assertEquals(4, viaB.ok("send_to_all", Map.of("data", "four",
                "exclude_client_ids", List.of(a2.clientId(), c1.clientId()))).get("delivered").asInt());
        for (WsTestClient member : List.of(a1, b1, b2, c2)) {
            assertNextIs(member, "four");
        }
        assertNothingBefore(viaB, a2);
        assertNothingBefore(viaB, c1);
        assertEquals(6, viaC.ok("send_to_all", Map.of("data", "all")).get("delivered").asInt());
        for (WsTestClient client : List.of(a1, a2, b1, b2, c1, c2)) {
            assertNextIs(client, "all");
        }

        assertEquals(2, viaB.ok("send_to_client", Map.of("client_ids",
                List.of(a2.clientId(), c2.clientId(), "n3.AAAAAAAAAAAAAAAAAAAAAA", "no-node"), "data", "five")).get("delivered").asInt());
        assertNextIs(a2, "five");
        assertNextIs(c2, "five");

        // frames from one caller to one remote connection keep their order
        for (int i = 0; i < 50; i++) {
            viaB.ok("send_to_client", Map.of("client_id", c2.clientId(), "data", "seq" + i));
        }
        for (int i = 0; i < 50; i++) {
            assertNextIs(c2, "seq" + i);
        }

        // close_client on another node: the last frame, then the close
        assertTrue(admin(a).ok("close_client", Map.of("client_id", c2.clientId(), "data", "bye")).get("closed").asBoolean());
        assertNextIs(c2, "bye");
        assertEquals(1000, c2.awaitClose());
        awaitTrue(5000, "closed client offline", () ->
                !viaB.ok("is_online", Map.of("client_id", c2.clientId())).get("online").asBoolean());
        assertFalse(admin(a).ok("close_client", Map.of("client_id", c2.clientId())).get("closed").asBoolean());
        assertEquals(5, admin(a).ok("get_client_count").get("count").asInt());
    }

    @Test
    void aCrashedNodesUidsGoOfflineWithinThreeHeartbeats() throws Exception {
        int heartbeat = 600; // shorter ones risk purging a live node whose heartbeat thread stalls on a loaded machine
        PushServer a = node("n1", RedisTestSupport.URI, heartbeat);
        node("n2", RedisTestSupport.URI, heartbeat);
        PushServer c = node("n3", RedisTestSupport.URI, heartbeat);
        WsTestClient a1 = connect(a);
        WsTestClient c1 = connect(c);
        WsTestClient c2 = connect(c);
        Admin viaA = admin(a);
        viaA.ok("bind_uid", Map.of("client_id", c1.clientId(), "uid", "dave"));
        viaA.ok("bind_uid", Map.of("client_id", c2.clientId(), "uid", "dave"));
        viaA.ok("join_group", Map.of("client_id", c1.clientId(), "group", "crew"));
        viaA.ok("join_group", Map.of("client_id", a1.clientId(), "group", "crew"));

        c.simulateCrash();
        long took = awaitTrue(3 * heartbeat + 1000, "dave offline", () ->
                !viaA.ok("is_uid_online", Map.of("uid", "dave")).get("online").asBoolean());
        System.out.printf("crashed node's uid offline after %d ms (heartbeat %d ms, bound %d ms)%n",
                took, heartbeat, 3 * heartbeat);
        assertTrue(took <= 3 * heartbeat + 400, "offline after " + took + " ms, bound " + 3 * heartbeat + " ms");
        assertEquals(Set.of(a1.clientId()), strings(viaA.ok("get_client_ids_by_group", Map.of("group", "crew")).get("client_ids")));
        JsonNode stats = viaA.ok("stats");
        assertEquals(1, stats.get("clients").asInt());
        assertEquals(2, stats.get("nodes").asInt());
        assertEquals(0, viaA.ok("send_to_uid", Map.of("uid", "dave", "data", "x")).get("delivered").asInt());
    }

    @Test
    void aRestartedNodeStartsClean() throws Exception {
        PushServer a = node("n1", RedisTestSupport.URI, 60_000); // no sweep during this test
        PushServer c = node("n3", RedisTestSupport.URI, 60_000);
        connect(a);
        WsTestClient c1 = connect(c);
        admin(a).ok("bind_uid", Map.of("client_id", c1.clientId(), "uid", "erin"));
        admin(a).ok("join_group", Map.of("client_id", c1.clientId(), "group", "g"));
        c.simulateCrash();
        assertTrue(admin(a).ok("is_uid_online", Map.of("uid", "erin")).get("online").asBoolean(),
                "no sweep yet: the crashed node's entries are still there");

        PushServer restarted = node("n3", RedisTestSupport.URI, 60_000);
        Admin viaA = admin(a);
        assertFalse(viaA.ok("is_uid_online", Map.of("uid", "erin")).get("online").asBoolean());
        assertFalse(viaA.ok("is_online", Map.of("client_id", c1.clientId())).get("online").asBoolean());
        assertEquals(AdminTestClient.JSON.readTree("{}"), viaA.ok("get_all_groups").get("groups"));
        assertEquals(1, viaA.ok("get_client_count").get("count").asInt());
        WsTestClient fresh = connect(restarted);
        viaA.ok("bind_uid", Map.of("client_id", fresh.clientId(), "uid", "erin"));
        assertEquals(1, viaA.ok("send_to_uid", Map.of("uid", "erin", "data", "hi")).get("delivered").asInt());
        assertNextIs(fresh, "hi");
    }

    @Test
    void whileRedisIsDownCallsFailFastAndEverythingRecoversAfter() throws Exception {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        proxies.add(proxy);
        proxy.start();
        PushServer a = node("n1", "redis://127.0.0.1:" + proxy.port(), 2000); // TTL 5 s: longer than the outage
        PushServer b = node("n2");
        WsTestClient a1 = connect(a);
        WsTestClient a2 = connect(a);
        Admin viaA = admin(a);
        Admin viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "finn"));

        proxy.stop();
        long start = System.nanoTime();
        AdminTestClient.Reply down = viaA.call("get_all_uids", Map.of());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, down.status(), down.body().toString());
        assertEquals("unavailable", down.body().path("error").path("code").asString());
        assertTrue(down.body().path("error").path("message").asString().contains("Redis"), down.body().toString());
        assertTrue(millis < 2500, "503 after " + millis + " ms");
        assertEquals(503, viaA.call("send_to_uid", Map.of("uid", "finn", "data", "x")).status());
        assertTrue(viaA.client().getText("/metrics").contains("pushgate_connections"),
                "metrics stay up; the cluster-wide gauges read NaN meanwhile");

        WsTestClient refused = WsTestClient.open(HTTP, a.wsUri());
        clients.add(refused);
        assertEquals(1013, refused.awaitClose(), "a connect while Redis is down is closed with 1013 (try again later)");
        a2.close(); // a connection that ends during the outage must not stay listed after it
        assertTrue(a2.awaitClose() > 0);

        proxy.start();
        long recovered = awaitTrue(10_000, "node n1 answering again", () -> viaA.call("get_all_uids", Map.of()).status() == 200);
        System.out.printf("node answered again %d ms after Redis came back%n", recovered);
        assertEquals(Set.of("finn"), strings(viaA.ok("get_all_uids").get("uids")));
        awaitTrue(10_000, "n1 re-subscribed", () ->
                viaB.ok("send_to_uid", Map.of("uid", "finn", "data", "back")).get("delivered").asInt() == 1);
        assertNextIs(a1, "back");
        awaitTrue(10_000, "the removal that failed during the outage retried", () ->
                !viaB.ok("is_online", Map.of("client_id", a2.clientId())).get("online").asBoolean());
        WsTestClient after = connect(a);
        viaB.ok("bind_uid", Map.of("client_id", after.clientId(), "uid", "finn"));
        assertEquals(2, viaB.ok("send_to_uid", Map.of("uid", "finn", "data", "both")).get("delivered").asInt());
    }

    @Test
    void aNodeCutOffPastItsHeartbeatClosesItsConnectionsWhenItComesBack() throws Exception {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        proxies.add(proxy);
        proxy.start();
        PushServer a = node("n1", "redis://127.0.0.1:" + proxy.port(), 800);
        PushServer b = node("n2", RedisTestSupport.URI, 800);
        WsTestClient a1 = connect(a);
        Admin viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "gus"));

        proxy.stop();
        awaitTrue(8000, "n1 purged by n2", () ->
                !viaB.ok("is_uid_online", Map.of("uid", "gus")).get("online").asBoolean());
        proxy.start();
        assertEquals(1012, a1.awaitClose(), "its clients must reconnect: the cluster forgot them");
        WsTestClient again = connect(a);
        viaB.ok("bind_uid", Map.of("client_id", again.clientId(), "uid", "gus"));
        assertEquals(1, viaB.ok("send_to_uid", Map.of("uid", "gus", "data", "hi")).get("delivered").asInt());
        assertNextIs(again, "hi");
    }

    /**
     * True once {@code node}'s sweeps have reached Redis without a gap for more than 3 H (by Redis's clock), so it
     * purges whatever it finds silent (see sweep.lua).
     */
    private boolean sweepingSteadily(RedisCommands<String, String> redis, String node, int heartbeat) {
        List<String> time = redis.time();
        long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
        String since = redis.hget(prefix + "node:" + node + ":sweeps", "since");
        return since != null && now - Long.parseLong(since) > 3L * heartbeat;
    }

    @Test
    void aRedisPauseOfFourHeartbeatsClosesNoConnectionAndANodeThatDiedMeanwhileIsStillPurged() throws Exception {
        // Every node reaches Redis through one relay that stalls (connections kept, no byte through), as
        // CLIENT PAUSE ALL would, without pausing the Redis that other test runs share. Data stays intact; every
        // heartbeat ages past its 2.5 H meanwhile. The command timeout outlasts the pause, as a real one would.
        int heartbeat = 400;
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        proxies.add(proxy);
        proxy.start();
        String viaProxy = "redis://127.0.0.1:" + proxy.port() + "?timeout=10s";
        PushServer a = node("n1", viaProxy, heartbeat);
        PushServer b = node("n2", viaProxy, heartbeat);
        PushServer c = node("n3", viaProxy, heartbeat);
        WsTestClient a1 = connect(a);
        WsTestClient b1 = connect(b);
        WsTestClient c1 = connect(c);
        Admin viaA = admin(a);
        Admin viaB = admin(b);
        viaA.ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "ivy"));
        viaA.ok("bind_uid", Map.of("client_id", b1.clientId(), "uid", "ivy"));
        viaA.ok("bind_uid", Map.of("client_id", c1.clientId(), "uid", "ned"));
        RedisClient direct = RedisClient.create(RedisTestSupport.URI);
        try (StatefulRedisConnection<String, String> connection = direct.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            BooleanSupplier bothJudging = () -> sweepingSteadily(redis, "n1", heartbeat)
                    && sweepingSteadily(redis, "n2", heartbeat);
            awaitTrue(10 * heartbeat, "both nodes sweeping steadily", bothJudging);

            proxy.pause();
            c.simulateCrash(); // dies while Redis is paused: its last beat is as old as the others'
            Thread.sleep(4 * heartbeat); // the length of the pause is what is under test: nothing to wait for
            proxy.resume();

            long purged = awaitTrue(3 * heartbeat + 2000, "n3 purged after the pause", () -> a1.isClosed()
                    || b1.isClosed() || !viaA.ok("is_uid_online", Map.of("uid", "ned")).get("online").asBoolean());
            System.out.printf("node that died during a %d ms Redis pause purged %d ms after it (heartbeat %d ms, "
                    + "bound %d ms)%n", 4 * heartbeat, purged, heartbeat, 3 * heartbeat);
            // Until both sweepers judge again (a purge of a live node would have happened by then), or one closes.
            awaitTrue(10 * heartbeat, "both nodes sweeping steadily after the pause",
                    () -> a1.isClosed() || b1.isClosed() || bothJudging.getAsBoolean());
            assertFalse(a1.isClosed(), () -> "n1's connection closed after the pause with " + a1.awaitClose());
            assertFalse(b1.isClosed(), () -> "n2's connection closed after the pause with " + b1.awaitClose());
            assertTrue(purged <= 3 * heartbeat + 400, "n3 purged " + purged + " ms after the pause");
        } finally {
            direct.shutdown();
        }
        assertEquals(2, viaA.ok("stats").get("nodes").asInt(), "the live nodes stay, the dead one is gone");
        assertEquals(2, viaB.ok("send_to_uid", Map.of("uid", "ivy", "data", "after")).get("delivered").asInt());
        assertNextIs(a1, "after");
        assertNextIs(b1, "after");
        assertEquals(2, viaA.ok("send_to_uid", Map.of("uid", "ivy", "data", "again")).get("delivered").asInt());
        assertNextIs(a1, "again");
        assertNextIs(b1, "again");
    }

    @Test
    void nodesThatShutDownCleanlyLeaveNoKeys() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        WsTestClient a1 = connect(a);
        connect(b);
        admin(b).ok("bind_uid", Map.of("client_id", a1.clientId(), "uid", "hal"));
        admin(b).ok("join_group", Map.of("client_id", a1.clientId(), "group", "g"));
        admin(a).ok("set_session", Map.of("client_id", a1.clientId(), "session", Map.of("k", "v")));
        a.close();
        b.close();
        assertEquals(List.of(), RedisTestSupport.keys(prefix));
    }
}
