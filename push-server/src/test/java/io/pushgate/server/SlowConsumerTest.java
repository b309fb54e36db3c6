package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.RawWebSocket;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** A client that stops reading is closed once it is 1 MiB behind; sends to others never wait for it. */
class SlowConsumerTest {

    @Test
    void clientThatStopsReadingIsClosedAndCountedWhileOthersKeepReceiving() throws Exception {
        OkHttpClient http = new OkHttpClient();
        try (PushServer server = PushServer.start(ServerConfig.forTesting("slow"));
             RawWebSocket stalled = RawWebSocket.connect(server.wsUri(), null, 4096);
             WsTestClient healthy = WsTestClient.connect(http, server.wsUri())) {
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), "slow");
            String stalledId = AdminTestClient.JSON.readTree(stalled.read().text()).get("client_id").stringValue();
            String payload = "z".repeat(60_000);
            int sends = 0;
            // The stalled client never reads again: once the kernel's buffers are full, its queue grows to the
            // bound and it is closed. Each send returns without waiting for it.
            while (server.hub().get(stalledId) != null) {
                assertTrue(++sends < 2_000, "the stalled client was never closed");
                admin.call("send_to_all", "data", payload);
                assertTrue(server.hub().get(stalledId) == null
                        || server.hub().get(stalledId).queuedBytes() <= server.config().maxQueuedBytes());
            }
            assertEquals(1, admin.call("stats").get("slow_client_closes").intValue());
            assertTrue(admin.call("stats").get("frames_dropped").intValue() >= 1);
            assertTrue(admin.getText("/metrics").contains("pushgate_slow_client_closes_total 1.0"));
            // the healthy reader got every frame, in order, the last one included
            for (int i = 0; i < sends; i++) {
                assertEquals(payload.length(), healthy.next().length());
            }
            Poll.until(Duration.ofSeconds(10), "stalled socket dropped", stalled::drainedToEnd);
        } finally {
            http.dispatcher().executorService().shutdown();
        }
    }
}
