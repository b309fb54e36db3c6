package io.pushgate.webapi.browser;

import io.pushgate.server.PushServer;
import io.pushgate.server.testing.WsTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.OkHttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Another connection of a user's, straight to one push-server node and bound like a page's, that a failure test
 * leaves alone: it must get every message pushed meanwhile.
 */
final class Bystander implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OkHttpClient HTTP = new OkHttpClient();

    private final WsTestClient client;

    private Bystander(WsTestClient client) {
        this.client = client;
    }

    /** Connects to {@code node} and binds the connection to {@code username} (a new session of theirs). */
    static Bystander bind(ChatStack stack, PushServer node, String username) {
        Bystander bystander = new Bystander(WsTestClient.connect(HTTP, node.wsUri()));
        try {
            stack.post("/api/bind", stack.login(username), Map.of("client_id", bystander.client.clientId()));
            return bystander;
        } catch (RuntimeException e) {
            bystander.close();
            throw e;
        }
    }

    String clientId() {
        return client.clientId();
    }

    /** The ids of the messages pushed to it, once it has every id of {@code expected} or after {@link Tab#WAIT}. */
    Set<Long> awaitMessages(List<Long> expected) throws InterruptedException {
        Set<Long> got = new TreeSet<>();
        long deadline = System.nanoTime() + Tab.WAIT.toNanos();
        while (!got.containsAll(expected) && System.nanoTime() < deadline) {
            String frame = client.poll(Duration.ofMillis(200));
            if (frame == null) {
                continue;
            }
            JsonNode node = JSON.readTree(frame);
            if ("message".equals(node.path("type").asString(null))) {
                got.add(node.get("message").get("id").asLong());
            }
        }
        return got;
    }

    @Override
    public void close() {
        client.cancel();
    }
}
