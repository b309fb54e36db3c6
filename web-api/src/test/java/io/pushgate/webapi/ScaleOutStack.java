package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.webapi.user.UserDao;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushgate as a scaled-out deployment runs it, in one JVM on loopback: two push-server nodes on one Redis, two
 * web-api instances on one database, every instance told of both nodes (PUSH_ADMIN_URLS, PUSH_PUBLIC_WS_URL) and
 * sharing its rate limits in Redis. Each node's admin port and the nodes' Redis sit behind a {@link TcpProxy}, so
 * a test can stall a node or Redis while the TCP connections stay open. Needs Redis (callers skip without it).
 */
final class ScaleOutStack implements AutoCloseable {
    static final MediaType JSON = MediaType.get("application/json");
    static final int HEARTBEAT_MS = 500;
    private static final AtomicInteger USERS = new AtomicInteger();

    final String prefix = RedisTestSupport.newPrefix();
    final TestDatabase db = TestDatabase.create();
    final TcpProxy redis;
    final List<PushServer> nodes = new ArrayList<>();
    final List<TcpProxy> adminProxies = new ArrayList<>();
    final List<WebApi> instances = new ArrayList<>();
    final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    final JsonMapper json = JsonMapper.builder().build();

    ScaleOutStack() throws IOException {
        URI redisUri = URI.create(RedisTestSupport.URI);
        redis = new TcpProxy(redisUri.getHost(), redisUri.getPort());
        try {
            redis.start();
            String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            String viaProxy = "redis://127.0.0.1:" + redis.port();
            for (String node : List.of("n1", "n2")) {
                PushServer server = PushServer.start(ServerConfig.forTesting(secret, Map.of("PUSH_REDIS_URI", viaProxy,
                        "PUSH_NODE_ID", node, "PUSH_REDIS_PREFIX", prefix,
                        "PUSH_REDIS_HEARTBEAT_MS", String.valueOf(HEARTBEAT_MS))));
                nodes.add(server);
                TcpProxy admin = new TcpProxy("127.0.0.1", server.adminUri().getPort());
                admin.start();
                adminProxies.add(admin);
            }
            String adminUrls = adminProxies.stream().map(p -> "http://127.0.0.1:" + p.port())
                    .collect(Collectors.joining(","));
            String wsUrls = nodes.stream().map(n -> n.wsUri().toString()).collect(Collectors.joining(","));
            for (int i = 0; i < 2; i++) {
                Map<String, String> env = new HashMap<>(Map.of("DEMO_DATA", "false", "PUSH_PUBLIC_WS_URL", wsUrls,
                        "REDIS_URL", RedisTestSupport.URI, "REDIS_KEY_PREFIX", prefix + "web:",
                        "RATE_LIMIT_PER_SECOND", "1000", "RATE_LIMIT_BURST", "1000"));
                instances.add(WebApi.start(WebApiConfig.forTesting(db.url(), adminUrls, secret,
                        TestDatabase.tempDir("pushgate-uploads"), env)));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A new buyer account, logged in through instance 0 (sessions are shared, so any instance serves it). */
    String newUser() {
        String username = "s" + USERS.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        instances.get(0).jdbi().onDemand(UserDao.class)
                .insert(username, TestStack.TEST_PASSWORD_HASH, username, "", "buyer");
        return post(0, "/api/login", null, Map.of("username", username, "password", "pw")).get("token").asString();
    }

    private long uidOf(String token) {
        return get(0, "/api/me", token).get("uid").asLong();
    }

    /** Calls instance {@code instance}: a POST of {@code body} as JSON, or a GET when it is null. */
    Reply call(int instance, String path, String token, Map<String, ?> body) {
        Request.Builder request = new Request.Builder().url(instances.get(instance).uri() + path);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request = body == null ? request.get()
                : request.post(RequestBody.create(json.writeValueAsBytes(body), JSON));
        try (Response response = http.newCall(request.build()).execute()) {
            byte[] bytes = response.body().bytes();
            return new Reply(response.code(), bytes.length == 0 ? null : json.readTree(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(path + " on instance " + instance, e);
        }
    }

    /** POSTs JSON to instance {@code instance}; fails unless the answer is 2xx, returns its body. */
    JsonNode post(int instance, String path, String token, Map<String, ?> body) {
        return ok(path, call(instance, path, token, body));
    }

    /** GETs from instance {@code instance}; fails unless the answer is 2xx, returns its body. */
    JsonNode get(int instance, String path, String token) {
        return ok(path, call(instance, path, token, null));
    }

    private static JsonNode ok(String path, Reply reply) {
        assertEquals(2, reply.status() / 100, path + " answered " + reply);
        return reply.body();
    }

    record Reply(int status, JsonNode body) {
    }

    /**
     * A page as pushgate.js behaves: connected to one node, bound through one instance, showing pushed messages
     * once each, and taking its cursor only from sync answers ({@code next_after}).
     */
    final class Page extends WebSocketListener implements AutoCloseable {
        final String token;
        final long uid;
        final Set<Long> shown = ConcurrentHashMap.newKeySet();
        final Set<Long> pushed = ConcurrentHashMap.newKeySet();
        final Set<Long> synced = ConcurrentHashMap.newKeySet();
        final AtomicInteger closed = new AtomicInteger();
        private final WebSocket socket;
        private final CompletableFuture<String> clientId = new CompletableFuture<>();
        private long cursor;

        Page(String token, int node, int bindThrough) {
            this.token = token;
            this.uid = uidOf(token);
            this.socket = http.newWebSocket(new Request.Builder().url(nodes.get(node).wsUri().toString()).build(),
                    this);
            try {
                String id = clientId.get(5, TimeUnit.SECONDS);
                post(bindThrough, "/api/bind", token, Map.of("client_id", id));
            } catch (Exception e) {
                throw new AssertionError("page on node " + node + " did not connect and bind", e);
            }
        }

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            JsonNode frame = json.readTree(text);
            String type = frame.path("type").asString();
            if ("init".equals(type)) {
                clientId.complete(frame.get("client_id").asString());
            } else if ("message".equals(type)) {
                long id = frame.get("message").get("id").asLong();
                pushed.add(id);
                shown.add(id);
            }
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            closed.incrementAndGet();
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable t, Response response) {
            closed.incrementAndGet();
        }

        /** Syncs through {@code instance} until has_more is false; the cursor moves only with the answers. */
        synchronized void sync(int instance) {
            JsonNode page;
            do {
                page = get(instance, "/api/sync?after=" + cursor + "&limit=500", token);
                page.get("messages").forEach(m -> {
                    shown.add(m.get("id").asLong());
                    synced.add(m.get("id").asLong());
                });
                cursor = page.get("next_after").asLong();
            } while (page.get("has_more").asBoolean());
        }

        @Override
        public void close() {
            socket.close(1000, "bye");
        }
    }

    /** The ids of every message stored to {@code uid}, ascending. */
    List<Long> storedTo(long uid) {
        return instances.get(0).jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM messages WHERE to_uid = :uid ORDER BY id").bind("uid", uid).mapTo(Long.class).list());
    }

    @Override
    public void close() {
        List<Runnable> steps = new ArrayList<>();
        instances.forEach(i -> steps.add(i::close));
        adminProxies.forEach(p -> steps.add(p::close));
        nodes.forEach(n -> steps.add(n::close));
        steps.add(redis::close);
        steps.add(() -> RedisTestSupport.deleteKeys(prefix));
        steps.add(db::close);
        steps.add(() -> {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
        RuntimeException first = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
