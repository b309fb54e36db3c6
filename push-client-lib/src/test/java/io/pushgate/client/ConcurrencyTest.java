package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** One PushClient shared by many threads, as an app shares it. */
class ConcurrencyTest {
    static final int THREADS = 16;
    static final int SENDS = 200;

    @Test
    void sixteenThreadsShareOneClient() throws Exception {
        OkHttpClient sockets = new OkHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<WsTestClient> pages = new ArrayList<>();
        try (PushServer server = PushServer.start(ServerConfig.forTesting("s"));
             PushClient push = PushClient.builder().adminUrls(server.adminUri().toString()).secret("s").build()) {
            for (int t = 0; t < THREADS; t++) {
                pages.add(WsTestClient.connect(sockets, server.wsUri()));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> delivered = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String clientId = pages.get(t).clientId();
                String uid = "user-" + t;
                delivered.add(pool.submit(() -> {
                    go.await();
                    push.bindUid(clientId, uid);
                    int sum = 0;
                    for (int i = 0; i < SENDS; i++) {
                        sum += push.sendToUid(uid, uid + ":" + i);
                    }
                    assertTrue(push.isUidOnline(uid));
                    return sum;
                }));
            }
            go.countDown();
            for (Future<Integer> sum : delivered) {
                assertEquals(SENDS, sum.get(60, TimeUnit.SECONDS));
            }
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < SENDS; i++) {
                    assertEquals("user-" + t + ":" + i, pages.get(t).next(), "frames arrive once, in order");
                }
            }
            assertEquals(THREADS, push.getUidCount());
        } finally {
            pages.forEach(WsTestClient::close);
            pool.shutdownNow();
            sockets.dispatcher().executorService().shutdown();
        }
    }
}
