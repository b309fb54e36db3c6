package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real WebSocket connection to the push-server, as a page would open it: it knows its client_id from init. */
final class TestSocket implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final WebSocket webSocket;
    private final String clientId;

    private TestSocket(OkHttpClient http, URI uri) throws InterruptedException {
        webSocket = http.newWebSocket(new Request.Builder().url(uri.toString()).build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                frames.add(text);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
                closed.countDown();
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                closed.countDown();
            }
        });
        JsonNode init = JSON.readTree(nextFrame());
        assertEquals("init", init.path("type").asString());
        clientId = init.path("client_id").asString();
    }

    static TestSocket connect(OkHttpClient http, URI wsUri) throws InterruptedException {
        return new TestSocket(http, wsUri);
    }

    String clientId() {
        return clientId;
    }

    /** The next frame, waiting up to 5 seconds for it. */
    String nextFrame() throws InterruptedException {
        String frame = frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, "no frame within 5 s");
        return frame;
    }

    /** True if the server closed this connection within 5 seconds. */
    boolean awaitClosed() throws InterruptedException {
        return closed.await(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        webSocket.close(1000, null);
    }
}
