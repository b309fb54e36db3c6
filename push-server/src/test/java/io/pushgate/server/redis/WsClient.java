package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A browser-like WebSocket client of a push-server node: it records every frame and how the socket ended. */
final class WsClient implements AutoCloseable {
    static final OkHttpClient HTTP = httpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** The close code the server sent, or -1 when the socket failed. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;
    private String clientId;

    private WsClient(URI uri) {
        socket = HTTP.newWebSocket(new Request.Builder().url(uri.toString().replace("ws://", "http://")).build(),
                new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        frames.add(text);
                    }

                    @Override
                    public void onClosing(WebSocket webSocket, int code, String reason) {
                        closed.complete(code);
                        webSocket.close(1000, null);
                    }

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                        closed.complete(-1);
                    }
                });
    }

    private static OkHttpClient httpClient() {
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(10_000); // the default 5 per host would queue handshakes to one test host
        dispatcher.setMaxRequestsPerHost(10_000);
        return new OkHttpClient.Builder().dispatcher(dispatcher).build();
    }

    /** Opens a socket without waiting for anything. */
    static WsClient open(URI uri) {
        return new WsClient(uri);
    }

    /** Opens a socket and waits for its init frame. */
    static WsClient connect(URI uri) throws InterruptedException {
        WsClient client = new WsClient(uri);
        String init = client.next();
        JsonNode node = JSON.readTree(init);
        assertEquals("init", node.path("type").asString(), init);
        client.clientId = node.path("client_id").asString();
        return client;
    }

    String id() {
        return clientId;
    }

    /** The next frame, waiting up to five seconds. */
    String next() throws InterruptedException {
        String frame = frames.poll(5, TimeUnit.SECONDS);
        assertNotNull(frame, () -> "no frame within 5 s" + (closed.isDone() ? "; socket closed: " + closed.join() : ""));
        return frame;
    }

    /** The close code the server sent, waiting up to {@code seconds}. */
    int awaitClose(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.close(1000, null);
    }

    /** Drops the socket without a closing handshake. */
    void cancel() {
        socket.cancel();
    }
}
