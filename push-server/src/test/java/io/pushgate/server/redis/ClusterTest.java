package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
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

    private final String prefix = RedisTestSupport.newPrefix();
    private final List<PushServer> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private final List<TcpProxy> proxies = new ArrayList<>();

    @BeforeEach
    void redis() {
        RedisTestSupport.assumeRedis();
    }

    @AfterEach
    void stopAll() {
        clients.forEach(WsClient::cancel);
        nodes.forEach(PushServer::close);
        proxies.forEach(TcpProxy::close);
        if (!nodes.isEmpty()) {
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    private PushServer node(String id, String redisUri, int heartbeatMillis) {
        PushServer node = PushServer.start(ServerConfig.forTesting(SECRET)
                .withRedis(redisUri, id, prefix, heartbeatMillis));
        nodes.add(node);
        return node;
    }

    private PushServer node(String id) {
        return node(id, RedisTestSupport.URI, 1000);
    }

    private static AdminClient admin(PushServer node) {
        return new AdminClient(node.adminUri(), SECRET);
    }

    private WsClient connect(PushServer node) throws InterruptedException {
        WsClient client = WsClient.connect(node.wsUri());
        clients.add(client);
        return client;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> result = new HashSet<>();
        array.forEach(e -> result.add(e.asString()));
        return result;
    }

    /** Polls {@code condition} every 20 ms until it holds; fails after {@code millis}. Returns the time taken. */
    private static long awaitTrue(long millis, String what, Callable<Boolean> condition) throws Exception {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + millis + " ms");
            }
            Thread.sleep(20); // polling another process's timer (the heartbeat): nothing to latch on
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void assertNextIs(WsClient client, String expected) throws InterruptedException {
        assertEquals(expected, client.next(), "frame for " + client.id());
    }

    /** Proves that nothing came before: frames to one connection keep their order, so the next one is the marker. */
    private static void assertNothingBefore(AdminClient admin, WsClient client) throws Exception {
        admin.ok("send_to_client", Map.of("client_id", client.id(), "data", "marker"));
        assertNextIs(client, "marker");
    }

    @Test
    void everyNodeAnswersForTheWholeCluster() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        PushServer c = node("n3");
        WsClient a1 = connect(a);
        WsClient a2 = connect(a);
        WsClient b1 = connect(b);
        WsClient b2 = connect(b);
        WsClient c1 = connect(c);
        WsClient c2 = connect(c);
        assertTrue(a1.id().startsWith("n1.") && b1.id().startsWith("n2.") && c1.id().startsWith("n3."));

        // every change made through a node that does not hold the client
        admin(c).ok("bind_uid", Map.of("client_id", a1.id(), "uid", "alice"));
        admin(c).ok("bind_uid", Map.of("client_id", b1.id(), "uid", "alice"));
        admin(a).ok("bind_uid", Map.of("client_id", b2.id(), "uid", "bob"));
        admin(b).ok("bind_uid", Map.of("client_id", c1.id(), "uid", "carol"));
        for (WsClient member : List.of(a1, b2, c1, c2)) {
            admin(member == a1 ? b : a).ok("join_group", Map.of("client_id", member.id(), "group", "room"));
        }
        admin(c).ok("join_group", Map.of("client_id", a2.id(), "group", "lobby"));

        for (PushServer node : nodes) {
            AdminClient admin = admin(node);
            assertEquals(Set.of(a1.id(), b1.id()),
                    strings(admin.ok("get_client_ids_by_uid", Map.of("uid", "alice")).get("client_ids")));
            assertTrue(admin.ok("is_uid_online", Map.of("uid", "carol")).get("online").asBoolean());
            assertFalse(admin.ok("is_uid_online", Map.of("uid", "nobody")).get("online").asBoolean());
            assertEquals("carol", admin.ok("get_uid_by_client_id", Map.of("client_id", c1.id())).get("uid").asString());
            assertTrue(admin.ok("get_uid_by_client_id", Map.of("client_id", a2.id())).get("uid").isNull());
            assertEquals(Set.of(a1.id(), b2.id(), c1.id(), c2.id()),
                    strings(admin.ok("get_client_ids_by_group", Map.of("group", "room")).get("client_ids")));
            assertEquals(Set.of("alice", "bob", "carol"),
                    strings(admin.ok("get_uids_by_group", Map.of("group", "room")).get("uids")));
            assertEquals(Set.of("alice", "bob", "carol"), strings(admin.ok("get_all_uids").get("uids")));
            assertEquals(AdminClient.JSON.readTree("{\"room\":4,\"lobby\":1}"), admin.ok("get_all_groups").get("groups"));
            assertEquals(6, admin.ok("get_client_count").get("count").asInt());
            assertEquals(4, admin.ok("get_client_count", Map.of("group", "room")).get("count").asInt());
            assertEquals(3, admin.ok("get_uid_count").get("count").asInt());
            assertEquals(3, admin.ok("get_uid_count", Map.of("group", "room")).get("count").asInt());
            assertTrue(admin.ok("is_online", Map.of("client_id", c2.id())).get("online").asBoolean());
            assertFalse(admin.ok("is_online", Map.of("client_id", "n2.AAAAAAAAAAAAAAAAAAAAAA")).get("online").asBoolean());
            JsonNode info = admin.ok("get_client_info", Map.of("client_id", a1.id()));
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

        AdminClient viaB = admin(b);
        assertEquals(404, viaB.call("bind_uid", Map.of("client_id", "n3.AAAAAAAAAAAAAAAAAAAAAA", "uid", "x")).status());
        assertEquals("client_not_found", viaB.call("join_group",
                Map.of("client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA", "group", "g")).body().path("error").path("code").asString());

        // sessions: set through one node, merged through another, read through the third
        admin(a).ok("set_session", Map.of("client_id", c1.id(), "session", Map.of("name", "Carol", "n", 1)));
        admin(b).ok("update_session", Map.of("client_id", c1.id(), "session", Map.of("n", 2)));
        assertEquals(AdminClient.JSON.readTree("{\"name\":\"Carol\",\"n\":2}"),
                admin(c).ok("get_session", Map.of("client_id", c1.id())).get("session"));
        assertTrue(admin(c).ok("get_session", Map.of("client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA")).get("session").isNull());

        JsonNode batch = admin(c).ok("batch", Map.of("ops", List.of(
                Map.of("method", "is_online", "client_id", a1.id()),
                Map.of("method", "get_uid_by_client_id", "client_id", b2.id()),
                Map.of("method", "bind_uid", "client_id", "n1.AAAAAAAAAAAAAAAAAAAAAA", "uid", "x"))));
        assertTrue(batch.get("results").get(0).get("online").asBoolean());
        assertEquals("bob", batch.get("results").get(1).get("uid").asString());
        assertEquals("client_not_found", batch.get("results").get(2).path("error").path("code").asString());

        // unbind, leave and ungroup across nodes
        admin(c).ok("unbind_uid", Map.of("client_id", b1.id(), "uid", "alice"));
        assertEquals(Set.of(a1.id()), strings(admin(a).ok("get_client_ids_by_uid", Map.of("uid", "alice")).get("client_ids")));
        admin(a).ok("leave_group", Map.of("client_id", c2.id(), "group", "room"));
        assertEquals(3, admin(b).ok("get_client_count", Map.of("group", "room")).get("count").asInt());
        admin(b).ok("ungroup", Map.of("group", "room"));
        assertEquals(AdminClient.JSON.readTree("{\"lobby\":1}"), admin(c).ok("get_all_groups").get("groups"));
        assertEquals(Set.of(), strings(admin(a).ok("get_client_info", Map.of("client_id", c1.id())).get("groups")));
    }

    @Test
    void framesReachEveryNodeAndExcludeListsHoldAcrossNodes() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        PushServer c = node("n3");
        WsClient a1 = connect(a);
        WsClient a2 = connect(a);
        WsClient b1 = connect(b);
        WsClient b2 = connect(b);
        WsClient c1 = connect(c);
        WsClient c2 = connect(c);
        AdminClient viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.id(), "uid", "alice"));
        viaB.ok("bind_uid", Map.of("client_id", b1.id(), "uid", "alice"));
        viaB.ok("bind_uid", Map.of("client_id", c1.id(), "uid", "carol"));
        for (WsClient member : List.of(a1, b2, c1, c2)) {
            viaB.ok("join_group", Map.of("client_id", member.id(), "group", "room"));
        }

        assertEquals(2, viaB.ok("send_to_uid", Map.of("uid", "alice", "data", Map.of("m", 1))).get("delivered").asInt());
        assertNextIs(a1, "{\"m\":1}");
        assertNextIs(b1, "{\"m\":1}");

        AdminClient viaC = admin(c);
        assertEquals(2, viaC.ok("send_to_uid", Map.of("uids", List.of("alice", "carol"), "data", "two",
                "exclude_client_ids", List.of(b1.id()))).get("delivered").asInt());
        assertNextIs(a1, "two");
        assertNextIs(c1, "two");
        assertNothingBefore(viaC, b1);

        assertEquals(3, admin(a).ok("send_to_group", Map.of("group", "room", "data", "three",
                "exclude_client_ids", List.of(c2.id()))).get("delivered").asInt());
        for (WsClient member : List.of(a1, b2, c1)) {
            assertNextIs(member, "three");
        }
        assertNothingBefore(viaB, c2);

        assertEquals(4, viaB.ok("send_to_all", Map.of("data", "four",
                "exclude_client_ids", List.of(a2.id(), c1.id()))).get("delivered").asInt());
        for (WsClient member : List.of(a1, b1, b2, c2)) {
            assertNextIs(member, "four");
        }
        assertNothingBefore(viaB, a2);
        assertNothingBefore(viaB, c1);
        assertEquals(6, viaC.ok("send_to_all", Map.of("data", "all")).get("delivered").asInt());
        for (WsClient client : List.of(a1, a2, b1, b2, c1, c2)) {
            assertNextIs(client, "all");
        }

        assertEquals(2, viaB.ok("send_to_client", Map.of("client_ids",
                List.of(a2.id(), c2.id(), "n3.AAAAAAAAAAAAAAAAAAAAAA", "no-node"), "data", "five")).get("delivered").asInt());
        assertNextIs(a2, "five");
        assertNextIs(c2, "five");

        // frames from one caller to one remote connection keep their order
        for (int i = 0; i < 50; i++) {
            viaB.ok("send_to_client", Map.of("client_id", c2.id(), "data", "seq" + i));
        }
        for (int i = 0; i < 50; i++) {
            assertNextIs(c2, "seq" + i);
        }

        // close_client on another node: the last frame, then the close
        assertTrue(admin(a).ok("close_client", Map.of("client_id", c2.id(), "data", "bye")).get("closed").asBoolean());
        assertNextIs(c2, "bye");
        assertEquals(1000, c2.awaitClose(5));
        awaitTrue(5000, "closed client offline", () ->
                !viaB.ok("is_online", Map.of("client_id", c2.id())).get("online").asBoolean());
        assertFalse(admin(a).ok("close_client", Map.of("client_id", c2.id())).get("closed").asBoolean());
        assertEquals(5, admin(a).ok("get_client_count").get("count").asInt());
    }

    @Test
    void aCrashedNodesUidsGoOfflineWithinThreeHeartbeats() throws Exception {
        int heartbeat = 600; // shorter ones risk purging a live node whose heartbeat thread stalls on a loaded machine
        PushServer a = node("n1", RedisTestSupport.URI, heartbeat);
        node("n2", RedisTestSupport.URI, heartbeat);
        PushServer c = node("n3", RedisTestSupport.URI, heartbeat);
        WsClient a1 = connect(a);
        WsClient c1 = connect(c);
        WsClient c2 = connect(c);
        AdminClient viaA = admin(a);
        viaA.ok("bind_uid", Map.of("client_id", c1.id(), "uid", "dave"));
        viaA.ok("bind_uid", Map.of("client_id", c2.id(), "uid", "dave"));
        viaA.ok("join_group", Map.of("client_id", c1.id(), "group", "crew"));
        viaA.ok("join_group", Map.of("client_id", a1.id(), "group", "crew"));

        c.simulateCrash();
        long took = awaitTrue(3 * heartbeat + 1000, "dave offline", () ->
                !viaA.ok("is_uid_online", Map.of("uid", "dave")).get("online").asBoolean());
        System.out.printf("crashed node's uid offline after %d ms (heartbeat %d ms, bound %d ms)%n",
                took, heartbeat, 3 * heartbeat);
        assertTrue(took <= 3 * heartbeat + 400, "offline after " + took + " ms, bound " + 3 * heartbeat + " ms");
        assertEquals(Set.of(a1.id()), strings(viaA.ok("get_client_ids_by_group", Map.of("group", "crew")).get("client_ids")));
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
        WsClient c1 = connect(c);
        admin(a).ok("bind_uid", Map.of("client_id", c1.id(), "uid", "erin"));
        admin(a).ok("join_group", Map.of("client_id", c1.id(), "group", "g"));
        c.simulateCrash();
        assertTrue(admin(a).ok("is_uid_online", Map.of("uid", "erin")).get("online").asBoolean(),
                "no sweep yet: the crashed node's entries are still there");

        PushServer restarted = node("n3", RedisTestSupport.URI, 60_000);
        AdminClient viaA = admin(a);
        assertFalse(viaA.ok("is_uid_online", Map.of("uid", "erin")).get("online").asBoolean());
        assertFalse(viaA.ok("is_online", Map.of("client_id", c1.id())).get("online").asBoolean());
        assertEquals(AdminClient.JSON.readTree("{}"), viaA.ok("get_all_groups").get("groups"));
        assertEquals(1, viaA.ok("get_client_count").get("count").asInt());
        WsClient fresh = connect(restarted);
        viaA.ok("bind_uid", Map.of("client_id", fresh.id(), "uid", "erin"));
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
        WsClient a1 = connect(a);
        WsClient a2 = connect(a);
        AdminClient viaA = admin(a);
        AdminClient viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.id(), "uid", "finn"));

        proxy.stop();
        long start = System.nanoTime();
        AdminClient.Reply down = viaA.call("get_all_uids", Map.of());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, down.status(), down.body().toString());
        assertEquals("unavailable", down.body().path("error").path("code").asString());
        assertTrue(down.body().path("error").path("message").asString().contains("Redis"), down.body().toString());
        assertTrue(millis < 2500, "503 after " + millis + " ms");
        assertEquals(503, viaA.call("send_to_uid", Map.of("uid", "finn", "data", "x")).status());
        assertEquals(200, viaA.get("/metrics"), "metrics stay up; the cluster-wide gauges read NaN meanwhile");

        WsClient refused = WsClient.open(a.wsUri());
        clients.add(refused);
        assertEquals(1013, refused.awaitClose(5), "a connect while Redis is down is closed with 1013 (try again later)");
        a2.close(); // a connection that ends during the outage must not stay listed after it
        assertTrue(a2.awaitClose(5) > 0);

        proxy.start();
        long recovered = awaitTrue(10_000, "node n1 answering again", () -> viaA.call("get_all_uids", Map.of()).status() == 200);
        System.out.printf("node answered again %d ms after Redis came back%n", recovered);
        assertEquals(Set.of("finn"), strings(viaA.ok("get_all_uids").get("uids")));
        awaitTrue(10_000, "n1 re-subscribed", () ->
                viaB.ok("send_to_uid", Map.of("uid", "finn", "data", "back")).get("delivered").asInt() == 1);
        assertNextIs(a1, "back");
        awaitTrue(10_000, "the removal that failed during the outage retried", () ->
                !viaB.ok("is_online", Map.of("client_id", a2.id())).get("online").asBoolean());
        WsClient after = connect(a);
        viaB.ok("bind_uid", Map.of("client_id", after.id(), "uid", "finn"));
        assertEquals(2, viaB.ok("send_to_uid", Map.of("uid", "finn", "data", "both")).get("delivered").asInt());
    }

    @Test
    void aNodeCutOffPastItsHeartbeatClosesItsConnectionsWhenItComesBack() throws Exception {
        TcpProxy proxy = new TcpProxy("127.0.0.1", 6379);
        proxies.add(proxy);
        proxy.start();
        PushServer a = node("n1", "redis://127.0.0.1:" + proxy.port(), 800);
        PushServer b = node("n2", RedisTestSupport.URI, 800);
        WsClient a1 = connect(a);
        AdminClient viaB = admin(b);
        viaB.ok("bind_uid", Map.of("client_id", a1.id(), "uid", "gus"));

        proxy.stop();
        awaitTrue(8000, "n1 purged by n2", () ->
                !viaB.ok("is_uid_online", Map.of("uid", "gus")).get("online").asBoolean());
        proxy.start();
        assertEquals(1012, a1.awaitClose(10), "its clients must reconnect: the cluster forgot them");
        WsClient again = connect(a);
        viaB.ok("bind_uid", Map.of("client_id", again.id(), "uid", "gus"));
        assertEquals(1, viaB.ok("send_to_uid", Map.of("uid", "gus", "data", "hi")).get("delivered").asInt());
        assertNextIs(again, "hi");
    }

    @Test
    void nodesThatShutDownCleanlyLeaveNoKeys() throws Exception {
        PushServer a = node("n1");
        PushServer b = node("n2");
        WsClient a1 = connect(a);
        connect(b);
        admin(b).ok("bind_uid", Map.of("client_id", a1.id(), "uid", "hal"));
        admin(b).ok("join_group", Map.of("client_id", a1.id(), "group", "g"));
        admin(a).ok("set_session", Map.of("client_id", a1.id(), "session", Map.of("k", "v")));
        a.close();
        b.close();
        assertEquals(List.of(), RedisTestSupport.keys(prefix));
    }
}
