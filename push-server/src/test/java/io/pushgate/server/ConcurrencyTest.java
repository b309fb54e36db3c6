package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of connections, admin calls in parallel, and other connections binding, joining and closing while
 * frames flow: every frame reaches every stable connection exactly once and in order, and once everyone has
 * gone nothing is left behind.
 */
class ConcurrencyTest {
    static final int STABLE = 300;
    static final int UIDS = 100;
    static final int GROUPS = 10;
    static final int MESSAGES = 20;
    static final int CHURN = 200;

    @Test
    void exactInOrderDeliveryUnderRacingConnectsClosesAndAdminCalls() throws Exception {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(64);
        dispatcher.setMaxRequestsPerHost(64);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(32, 1, TimeUnit.MINUTES)).build();
        Dispatcher wsDispatcher = new Dispatcher(); // each WebSocket holds a dispatcher slot while it is open
        wsDispatcher.setMaxRequests(2 * (STABLE + CHURN));
        wsDispatcher.setMaxRequestsPerHost(2 * (STABLE + CHURN));
        OkHttpClient ws = new OkHttpClient.Builder().dispatcher(wsDispatcher).build();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (PushServer server = PushServer.start(ServerConfig.forTesting("conc"))) {
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), "conc");
            List<WsTestClient> stable = new ArrayList<>();
            for (int i = 0; i < STABLE; i++) {
                stable.add(WsTestClient.open(ws, server.wsUri()));
            }
            List<Future<?>> setup = new ArrayList<>();
            for (int i = 0; i < STABLE; i++) {
                int n = i;
                setup.add(pool.submit(() -> {
                    WsTestClient c = stable.get(n);
                    assertEquals(200, admin.call("bind_uid", "client_id", c.clientId(), "uid", "u" + n % UIDS).status());
                    assertEquals(200, admin.call("join_group", "client_id", c.clientId(), "group", "g" + n % GROUPS)
                            .status());
                }));
            }
            for (Future<?> f : setup) {
                f.get(60, TimeUnit.SECONDS);
            }

            AtomicInteger churned = new AtomicInteger();
            List<Future<?>> work = new ArrayList<>();
            // churn: connections that bind to the same uids and groups and go away while frames flow
            for (int t = 0; t < 2; t++) {
                int offset = t;
                work.add(pool.submit(() -> {
                    for (int i = offset; i < CHURN; i += 2) {
                        WsTestClient c = WsTestClient.connect(ws, server.wsUri());
                        admin.call("bind_uid", "client_id", c.clientId(), "uid", "u" + i % UIDS);
                        admin.call("join_group", "client_id", c.clientId(), "group", "g" + i % GROUPS);
                        if (i % 3 == 0) {
                            c.cancel();
                        } else {
                            c.close();
                        }
                        churned.incrementAndGet();
                    }
                    return null;
                }));
            }
            // uid streams, 4 threads each owning a quarter of the uids; group streams on 2 more threads
            for (int t = 0; t < 4; t++) {
                int owner = t;
                work.add(pool.submit(() -> {
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        for (int u = owner; u < UIDS; u += 4) {
                            int delivered = admin.call("send_to_uid", "uid", "u" + u, "data", "u" + u + ":" + seq)
                                    .get("delivered").intValue();
                            assertTrue(delivered >= STABLE / UIDS, "every stable connection of u" + u);
                        }
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                int owner = t;
                work.add(pool.submit(() -> {
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        for (int g = owner; g < GROUPS; g += 2) {
                            admin.call("send_to_group", "group", "g" + g, "data", "g" + g + ":" + seq);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
            assertEquals(CHURN, churned.get());

            for (int i = 0; i < STABLE; i++) {
                WsTestClient c = stable.get(i);
                Map<String, Integer> nextSeq = new HashMap<>();
                for (int k = 0; k < 2 * MESSAGES; k++) {
                    String[] frame = c.next().split(":");
                    int expected = nextSeq.getOrDefault(frame[0], 0);
                    assertEquals(expected, Integer.parseInt(frame[1]), "stream " + frame[0] + " at connection " + i);
                    nextSeq.put(frame[0], expected + 1);
                }
                assertEquals(Map.of("u" + i % UIDS, MESSAGES, "g" + i % GROUPS, MESSAGES), nextSeq);
                assertEquals(null, c.poll(Duration.ZERO), "no frame twice");
            }

            stable.forEach(WsTestClient::close);
            Poll.until(Duration.ofSeconds(20), "registry empty", () -> server.hub().size() == 0
                    && server.presence().clientCount() == 0);
            assertEquals(0, server.presence().uidCount());
            assertEquals(0, server.presence().groupCount());
            assertTrue(server.presence().allUids().isEmpty());
            assertTrue(server.presence().allGroups().isEmpty());
        } finally {
            pool.shutdownNow();
            http.dispatcher().executorService().shutdown();
            ws.dispatcher().executorService().shutdown();
        }
    }
}
