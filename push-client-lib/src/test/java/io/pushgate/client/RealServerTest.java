package io.pushgate.client;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.WsTestClient;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A real push-server on ephemeral loopback ports for each test, and a {@link PushClient} pointed at it. */
abstract class RealServerTest {
    static final String SECRET = "test-secret-" + System.nanoTime();
    PushServer server;
    PushClient push;
    OkHttpClient sockets;

    @BeforeEach
    void startServer() {
        sockets = new OkHttpClient();
        server = PushServer.start(ServerConfig.forTesting(SECRET));
        push = PushClient.builder().adminUrls(server.adminUri().toString()).secret(SECRET).build();
    }

    @AfterEach
    void stopServer() {
        push.close();
        server.close();
        sockets.dispatcher().executorService().shutdown();
    }

    /** A page's WebSocket, once its init frame has arrived. */
    WsTestClient connect() {
        return WsTestClient.connect(sockets, server.wsUri());
    }
}
