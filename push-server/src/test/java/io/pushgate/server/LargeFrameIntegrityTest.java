package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.RawWebSocket;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * One encoded frame is shared by every connection it goes to, and some of those writes wait in queues: the
 * bytes must reach a late reader exactly as they were sent, whatever the server allocated meanwhile.
 */
class LargeFrameIntegrityTest {

    @Test
    void queuedSharedFramesArriveIntact() throws Exception {
        OkHttpClient http = new OkHttpClient();
        try (PushServer server = PushServer.start(ServerConfig.forTesting("intact"));
             RawWebSocket fast = RawWebSocket.connect(server.wsUri());
             RawWebSocket late = RawWebSocket.connect(server.wsUri(), null, 4096)) {
            fast.read();
            late.read();
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), "intact");
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String payload = (char) ('a' + i) + "-" + i + "-" + String.valueOf((char) ('A' + i)).repeat(60_000);
                sent.add(payload);
                assertEquals(2, admin.call("send_to_all", "data", payload).get("delivered").intValue());
                assertEquals(payload, fast.readUntil(RawWebSocket.TEXT).text());
                // requests in between make the admin threads allocate while the late reader's frames wait
                admin.call("batch", "ops", List.of(java.util.Map.of("method", "stats"),
                        java.util.Map.of("method", "get_all_uids")));
            }
            for (String payload : sent) {
                assertEquals(payload, late.readUntil(RawWebSocket.TEXT).text());
            }
        } finally {
            http.dispatcher().executorService().shutdown();
        }
    }
}
