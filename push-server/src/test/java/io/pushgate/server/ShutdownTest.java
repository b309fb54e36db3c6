package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushgate.server.testing.RawWebSocket;
import io.pushgate.server.testing.WsTestClient;
import java.io.IOException;
import java.net.URI;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Shutdown (what SIGTERM runs): open connections are closed with 1001 and the listeners go away. */
class ShutdownTest {

    @Test
    void closeSaysGoingAwayToEveryConnectionAndStopsListening() throws Exception {
        OkHttpClient http = new OkHttpClient();
        try {
            PushServer server = PushServer.start(ServerConfig.forTesting("bye"));
            URI ws = server.wsUri();
            WsTestClient a = WsTestClient.connect(http, ws);
            WsTestClient b = WsTestClient.connect(http, ws);
            server.close();
            assertEquals(1001, a.awaitClose());
            assertEquals(1001, b.awaitClose());
            assertEquals(0, server.hub().size());
            assertThrows(IOException.class, () -> RawWebSocket.connect(ws).close());
        } finally {
            http.dispatcher().executorService().shutdown();
        }
    }
}
