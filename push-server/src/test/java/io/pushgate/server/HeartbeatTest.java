package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.RawWebSocket;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Liveness with a 1 s ping interval: a silent client is closed after two periods, an answering one stays. */
class HeartbeatTest {

    @Test
    void clientThatNeverAnswersPingsIsClosedAndOneThatDoesStays() throws Exception {
        OkHttpClient http = new OkHttpClient(); // answers pings with pongs, as browsers do
        try (PushServer server = PushServer.start(ServerConfig.forTesting("hb", Map.of("PUSH_PING_INTERVAL_S", "1")));
             WsTestClient answering = WsTestClient.connect(http, server.wsUri());
             RawWebSocket silent = RawWebSocket.connect(server.wsUri())) {
            assertEquals(101, silent.status());
            assertTrue(silent.read().text().contains("init"));
            assertEquals(RawWebSocket.PING, silent.read().opcode(), "the server pings every interval");

            Poll.until(Duration.ofSeconds(6), "silent client dropped", () -> server.hub().size() == 1);
            RawWebSocket.Frame close = silent.readUntil(RawWebSocket.CLOSE);
            assertEquals(1001, close.closeCode());
            assertTrue(server.hub().get(answering.clientId()) != null, "the answering client is still connected");
        } finally {
            http.dispatcher().executorService().shutdown();
        }
    }
}
