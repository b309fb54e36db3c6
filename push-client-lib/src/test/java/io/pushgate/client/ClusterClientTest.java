package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.WsTestClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One PushClient with both admin URLs of a two-node cluster over the local Redis (127.0.0.1:6379; skipped
 * without one): every call answers for the whole cluster, and when the first node goes the second carries on.
 */
class ClusterClientTest {
    static final String SECRET = "cluster-client-secret";
    static final OkHttpClient SOCKETS = new OkHttpClient();

    final String prefix = "pushgate:test:" + UUID.randomUUID().toString().substring(0, 12) + ":";
    final List<PushServer> nodes = new ArrayList<>();
    final List<WsTestClient> sockets = new ArrayList<>();
    PushClient push;

    @BeforeEach
    void start() {
        boolean redis;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
            redis = true;
        } catch (IOException e) {
            redis = false;
        }
        Assumptions.assumeTrue(redis, "no Redis at 127.0.0.1:6379: cluster tests skipped");
        for (String node : List.of("c1", "c2")) {
            nodes.add(PushServer.start(ServerConfig.forTesting(SECRET, Map.of(
                    "PUSH_REDIS_URI", "redis://127.0.0.1:6379", "PUSH_NODE_ID", node, "PUSH_REDIS_PREFIX", prefix))));
        }
        push = PushClient.builder()
                .adminUrls(nodes.get(0).adminUri().toString(), nodes.get(1).adminUri().toString())
                .secret(SECRET)
                .build();
    }

    @AfterEach
    void stop() {
        sockets.forEach(WsTestClient::close);
        if (push != null) {
            push.close();
        }
        nodes.forEach(PushServer::close); // a node that leaves the cluster removes its keys
    }

    private WsTestClient connect(PushServer node) throws InterruptedException {
        WsTestClient socket = WsTestClient.connect(SOCKETS, node.wsUri());
        sockets.add(socket);
        return socket;
    }

    @Test
    void oneClientWithEveryNodesUrlServesTheWholeCluster() throws Exception {
        WsTestClient onFirst = connect(nodes.get(0));
        WsTestClient onSecond = connect(nodes.get(1));
        push.bindUid(onFirst.clientId(), "alice");
        push.bindUid(onSecond.clientId(), "alice");
        push.joinGroup(onSecond.clientId(), "room");

        assertEquals(Set.of(onFirst.clientId(), onSecond.clientId()), Set.copyOf(push.getClientIdsByUid("alice")));
        assertEquals(2, push.sendToUid("alice", "hello"));
        assertEquals("hello", onFirst.next());
        assertEquals("hello", onSecond.next());
        assertEquals(2, push.stats().clients());

        nodes.get(0).close(); // its connection closes; the client falls over to the second URL
        assertEquals(1001, onFirst.awaitClose(), "going away: its node shut down");
        assertEquals(List.of(onSecond.clientId()), push.getClientIdsByUid("alice"));
        assertEquals(1, push.sendToGroup("room", "still here"));
        assertEquals("still here", onSecond.next());
    }
}
