package io.pushgate.server.testing;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (OkHttp's) for tests: collects every text frame, answers pings (OkHttp does), and
 * reports how the connection closed.
 */
public final class WsTestClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final CompletableFuture<Response> failure = new CompletableFuture<>();
    private final WebSocket socket;
    private String clientId;

    private WsTestClient(OkHttpClient http, Request request) {
        socket = http.newWebSocket(request, new WebSocketListener() {
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
            public void onClosed(WebSocket webSocket, int code, String reason) {
                closed.complete(code);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                failure.complete(response);
                closed.complete(-1);
            }
        });
    }

    /** Opens a connection to {@code uri} without waiting. */
    public static WsTestClient open(OkHttpClient http, URI uri) {
        return new WsTestClient(http, new Request.Builder().url(uri.toString().replaceFirst("^ws", "http")).build());
    }

    public static WsTestClient open(OkHttpClient http, Request request) {
        return new WsTestClient(http, request);
    }

    /** Opens a connection and waits for the init frame. */
    public static WsTestClient connect(OkHttpClient http, URI uri) {
        WsTestClient client = open(http, uri);
        client.awaitInit();
        return client;
    }

    /** Waits for the init frame and returns the client_id it carries. */
    public String awaitInit() {
        if (clientId == null) {
            JsonNode init = JSON.readTree(next());
            if (!"init".equals(init.path("type").asString(null))) {
                throw new AssertionError("first frame is not init: " + init);
            }
            clientId = init.get("client_id").stringValue();
        }
        return clientId;
    }

    public String clientId() {
        return awaitInit();
    }

    /** The next text frame; fails after {@link #WAIT}. */
    public String next() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next text frame if one arrives within {@code wait}, else null. */
    public String poll(Duration wait) throws InterruptedException {
        return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Frames received but not yet taken. */
    public int pending() {
        return frames.size();
    }

    public void send(String text) {
        socket.send(text);
    }

    public void send(ByteString bytes) {
        socket.send(bytes);
    }

    /** Waits for the connection to close and returns the close code (-1 for a failure). */
    public int awaitClose() {
        try {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("connection did not close within " + WAIT, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The HTTP response of a refused handshake; fails if the handshake did not fail. */
    public Response awaitRefusal() {
        try {
            return failure.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("handshake was not refused within " + WAIT, e);
        }
    }

    @Override
    public void close() {
        socket.close(1000, null);
    }

    /** Drops the TCP connection without a closing handshake. */
    public void cancel() {
        socket.cancel();
    }
}
