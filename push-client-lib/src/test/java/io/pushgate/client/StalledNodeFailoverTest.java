package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two push-server nodes over the local Redis (skipped without one) and one PushClient with both admin URLs. Node
 * 1's admin port is reached through a relay that can stall: it still accepts connections but nothing goes through,
 * as with a node stopped by SIGSTOP (the kernel completes the handshake, the process never answers).
 */
class StalledNodeFailoverTest {
    static final String SECRET = "stalled-node-secret";
    static final Duration COOL_DOWN = Duration.ofMillis(500);
    static final OkHttpClient SOCKETS = new OkHttpClient();

    final String prefix = RedisTestSupport.newPrefix();
    final List<PushServer> nodes = new ArrayList<>();
    final List<WsTestClient> sockets = new ArrayList<>();
    TcpProxy stallable;
    RecordingHttp recording;
    PushClient push;
    int stalledPort;
    int healthyPort;

    @BeforeEach
    void start() throws Exception {
        RedisTestSupport.assumeRedis();
        for (String node : List.of("s1", "s2")) {
            nodes.add(PushServer.start(ServerConfig.forTesting(SECRET, RedisTestSupport.clusterNode(node, prefix))));
        }
        stallable = new TcpProxy("127.0.0.1", nodes.get(0).adminUri().getPort());
        stallable.start();
        stalledPort = stallable.port();
        healthyPort = nodes.get(1).adminUri().getPort();
        recording = new RecordingHttp();
        push = PushClient.builder()
                .adminUrls("http://127.0.0.1:" + stalledPort, nodes.get(1).adminUri().toString())
                .secret(SECRET)
                .circuitCoolDown(COOL_DOWN) // the attempt timeout keeps its default, 500 ms
                .okHttpClient(recording.client)
                .build();
    }

    @AfterEach
    void stop() {
        if (stallable != null) {
            stallable.close(); // resumes first: no relay thread outlives the test
        }
        sockets.forEach(WsTestClient::close);
        if (push != null) {
            push.close();
            recording.close();
        }
        nodes.forEach(PushServer::close);
        if (!nodes.isEmpty()) {
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    private WsTestClient connect(PushServer node) {
        WsTestClient socket = WsTestClient.connect(SOCKETS, node.wsUri());
        sockets.add(socket);
        return socket;
    }

    @Test
    void callsSpreadOverBothHealthyNodes() throws Exception {
        for (int i = 0; i < 10; i++) {
            push.getClientCount();
            push.calls().sendToAll("x").enqueue().get(5, TimeUnit.SECONDS);
        }
        List<Integer> ports = recording.ports();
        assertEquals(20, ports.size(), "one attempt per call: " + ports);
        assertEquals(10, Collections.frequency(ports, stalledPort), "round robin: " + ports);
        assertEquals(10, Collections.frequency(ports, healthyPort), "round robin: " + ports);
    }

    @Test
    void aStalledNodeIsFailedOverWithinASecondAndComesBackAfterItRecovers() throws Exception {
        WsTestClient page = connect(nodes.get(1));
        push.bindUid(page.clientId(), "zoe");

        stallable.pause();
        recording.calls.clear();
        long stallStart = System.nanoTime();
        List<Long> latencies = new ArrayList<>();
        // 2.5 s of calls: long enough for several cool-downs, so the probes of the stalled node are counted too.
        for (int i = 0; i < 30 || System.nanoTime() - stallStart < 2_500_000_000L; i++) {
            long start = System.nanoTime();
            int delivered = i % 3 == 2
                    ? push.calls().sendToUid("zoe", "m" + i).enqueue().get(5, TimeUnit.SECONDS)
                    : push.sendToUid("zoe", "m" + i);
            latencies.add((System.nanoTime() - start) / 1_000_000);
            assertEquals(1, delivered, "send " + i + " while node 1 is stalled");
            assertEquals("m" + i, page.next(), "frames arrive through node 2, in order");
        }
        WsTestClient late = connect(nodes.get(1));
        push.bindUid(late.clientId(), "zoe"); // a call that must not be sent twice: node 1 is out of rotation
        assertEquals(2, push.sendToUid("zoe", "both"));
        long stallMillis = (System.nanoTime() - stallStart) / 1_000_000;
        long stalledAttempts = Collections.frequency(recording.ports(), stalledPort);
        long slow = latencies.stream().filter(ms -> ms >= 400).count();
        System.out.printf("stalled %d ms: %d calls, max %d ms, %d over 400 ms, %d attempts on the stalled node%n",
                stallMillis, latencies.size(), Collections.max(latencies), slow, stalledAttempts);
        assertTrue(Collections.max(latencies) < 1000, "every call within 1 s: " + latencies);
        // Out of rotation: the first call and one probe per cool-down, not every other call.
        long probes = stallMillis / COOL_DOWN.toMillis() + 1;
        assertTrue(stalledAttempts <= 1 + probes, stalledAttempts + " attempts on the stalled node in "
                + stallMillis + " ms: " + recording.ports());
        assertTrue(slow <= stalledAttempts, "only the calls that tried the stalled node were slow: " + latencies);

        stallable.resume();
        long resumed = System.nanoTime();
        Poll.until(Duration.ofSeconds(5), "node 1 back in rotation", () -> {
            recording.calls.clear();
            push.getClientCount();
            push.getClientCount();
            return recording.ports().size() == 2 && recording.ports().contains(stalledPort);
        });
        long back = (System.nanoTime() - resumed) / 1_000_000;
        System.out.printf("node 1 back in rotation %d ms after it recovered (cool-down %d ms)%n", back,
                COOL_DOWN.toMillis());
        recording.calls.clear();
        for (int i = 0; i < 6; i++) {
            push.getUidCount();
        }
        assertEquals(3, Collections.frequency(recording.ports(), stalledPort), "both in rotation again: "
                + recording.ports());
    }
}
