package io.pushgate.webapi.browser;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.TcpProxy;
import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.WebApi;
import io.pushgate.webapi.WebApiConfig;
import io.pushgate.webapi.user.UserDao;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product for the browser tests: a push-server and a web-api with the demo data on a database of its
 * own ({@link TestDatabase}), on loopback. Unlike the API tests' stack, the push-server here can be stopped and
 * started again on the same ports, as an operator restarting it would, and there may be several nodes.
 */
final class ChatStack implements AutoCloseable {
    private final TestDatabase db;
    private final List<ServerConfig> pushConfigs;
    private final List<PushServer> nodes;
    private final WebApi api;
    private final List<TcpProxy> proxies = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private ChatStack(TestDatabase db, List<ServerConfig> pushConfigs, List<PushServer> nodes, WebApi api) {
        this.db = db;
        this.pushConfigs = pushConfigs;
        this.nodes = nodes;
        this.api = api;
    }

    /** One push-server, whose WebSocket URL the pages are given. */
    static ChatStack start() {
        return start(List.of(Map.of()), nodes -> Map.of());
    }

    /**
     * One push-server node per entry of {@code nodes}, each with those settings on top of
     * {@link ServerConfig#forTesting} (several on one Redis form a cluster), and web-api over them all:
     * PUSH_ADMIN_URLS and PUSH_PUBLIC_WS_URL list every node, unless {@code settings}, which sees the started
     * nodes, names other web-api settings.
     */
    static ChatStack start(List<Map<String, String>> nodes, Settings settings) {
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        TestDatabase db = TestDatabase.create();
        List<PushServer> started = new CopyOnWriteArrayList<>();
        try {
            List<ServerConfig> configs = new ArrayList<>();
            for (Map<String, String> nodeSettings : nodes) {
                PushServer node = PushServer.start(ServerConfig.forTesting(secret, nodeSettings));
                started.add(node);
                Map<String, String> restart = new HashMap<>(nodeSettings); // the same node, where clients look
                restart.putAll(Map.of("PUSH_WS_PORT", String.valueOf(node.wsUri().getPort()),
                        "PUSH_ADMIN_PORT", String.valueOf(node.adminUri().getPort()),
                        "PUSH_NODE_ID", node.config().nodeId()));
                configs.add(ServerConfig.forTesting(secret, restart));
            }
            Map<String, String> env = new HashMap<>(Map.of("DEMO_DATA", "true",
                    "PUSH_PUBLIC_WS_URL", joined(started, PushServer::wsUri),
                    "RATE_LIMIT_PER_SECOND", "100", "RATE_LIMIT_BURST", "100"));
            env.putAll(settings.of(List.copyOf(started)));
            WebApi api = WebApi.start(WebApiConfig.forTesting(db.url(), joined(started, PushServer::adminUri), secret,
                    TestDatabase.tempDir("pushgate-uploads"), env));
            return new ChatStack(db, configs, started, api);
        } catch (IOException | RuntimeException e) {
            started.forEach(PushServer::close);
            db.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Further web-api settings for the started push-server nodes; whatever it starts for them, its caller closes. */
    @FunctionalInterface
    interface Settings {
        Map<String, String> of(List<PushServer> nodes) throws IOException;
    }

    /**
     * Alice's first message to Bob, before any page is open: its id is where Bob's page starts
     * ({@code after}). Returns {@code alice}'s bearer token, Bob's uid and that id.
     */
    Conversation aliceWritesToBob() {
        String alice = login("alice");
        long bob = uidOf("bob");
        return new Conversation(alice, bob, sendText(alice, bob, "before the page"));
    }

    /** See {@link #aliceWritesToBob}. */
    record Conversation(String aliceToken, long bob, long after) {
    }

    /**
     * One push-server behind {@code count} TCP proxies on loopback (closed with the stack), which PUSH_PUBLIC_WS_URL
     * lists, so the pages connect through them; and the further web-api {@code settings}.
     */
    static ChatStack behindProxies(int count, Map<String, String> settings) {
        List<TcpProxy> started = new CopyOnWriteArrayList<>();
        try {
            ChatStack stack = start(List.of(Map.of()), nodes -> {
                for (int i = 0; i < count; i++) {
                    started.add(new TcpProxy("127.0.0.1", nodes.get(0).wsUri().getPort()));
                    started.get(i).start();
                }
                Map<String, String> env = new HashMap<>(settings);
                env.put("PUSH_PUBLIC_WS_URL", started.stream().map(p -> "ws://127.0.0.1:" + p.port() + "/")
                        .collect(Collectors.joining(",")));
                return env;
            });
            stack.proxies.addAll(started);
            return stack;
        } catch (RuntimeException e) {
            started.forEach(TcpProxy::close);
            throw e;
        }
    }

    /** The proxies of {@link #behindProxies}, in the order PUSH_PUBLIC_WS_URL lists them. */
    List<TcpProxy> proxies() {
        return proxies;
    }

    private static String joined(List<PushServer> nodes, Function<PushServer, URI> uri) {
        return nodes.stream().map(uri).map(URI::toString).collect(Collectors.joining(","));
    }

    /** Where the pages are, e.g. {@code http://127.0.0.1:41234}. */
    URI base() {
        return api.uri();
    }

    /** The (first) WebSocket URL the pages are given (PUSH_PUBLIC_WS_URL). */
    String wsUrl() {
        return api.config().publicWsUrl();
    }

    URI page(String pathAndQuery) {
        return base().resolve(pathAndQuery);
    }

    /** Stops the (first) push-server: every page on it loses its socket. */
    void stopPushServer() {
        nodes.get(0).close();
    }

    /** Starts the (first) push-server again on the same ports. */
    void startPushServer() {
        nodes.set(0, PushServer.start(pushConfigs.get(0)));
    }

    /** The push-server nodes, in the order they were configured. */
    List<PushServer> nodes() {
        return nodes;
    }

    /** The ids of every stored message to {@code uid} above {@code after}, ascending. */
    List<Long> messageIdsTo(long uid, long after) {
        return api.jdbi().withHandle(h -> h.createQuery("SELECT id FROM messages WHERE to_uid = :uid AND id > :after"
                + " ORDER BY id").bind("uid", uid).bind("after", after).mapTo(Long.class).list());
    }

    /** Logs a demo user in through the REST API; returns the bearer token. */
    String login(String username) {
        return post("/api/login", null, Map.of("username", username, "password", "demo")).get("token").asString();
    }

    long uidOf(String username) {
        return api.jdbi().onDemand(UserDao.class).uidOf(username).orElseThrow();
    }

    /** Sends text messages from a demo user to another through the REST API, as a setup step. */
    void sendTexts(String from, long toUid, List<String> texts) {
        String token = login(from);
        for (String text : texts) {
            sendText(token, toUid, text);
        }
    }

    /** Sends one text as the bearer of {@code token}; returns the stored message's id. */
    long sendText(String token, long toUid, String text) {
        return post("/api/messages", token, Map.of("to_uid", toUid, "type", "text", "content", text))
                .get("message").get("id").asLong();
    }

    /** POSTs a JSON body as the bearer of {@code token} (none when null); fails unless the answer is 2xx. */
    JsonNode post(String path, String token, Map<String, ?> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(path + " answered " + response.statusCode() + ": "
                        + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        proxies.forEach(TcpProxy::close);
        try {
            api.close();
        } finally {
            try {
                nodes.forEach(PushServer::close);
            } finally {
                db.close();
            }
        }
    }

}
