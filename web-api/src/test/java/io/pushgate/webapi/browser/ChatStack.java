package io.pushgate.webapi.browser;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product for the browser tests: a push-server and a web-api with the demo data on a database of its
 * own ({@link TestDatabase}), on loopback. Unlike the API tests' stack, the push-server here can be stopped and
 * started again on the same ports, as an operator restarting it would.
 */
final class ChatStack implements AutoCloseable {
    private final TestDatabase db;
    private final ServerConfig pushConfig;
    private volatile PushServer push;
    private final WebApi api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();

    private ChatStack(TestDatabase db, ServerConfig pushConfig, PushServer push, WebApi api) {
        this.db = db;
        this.pushConfig = pushConfig;
        this.push = push;
        this.api = api;
    }

    static ChatStack start() {
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        TestDatabase db = TestDatabase.create();
        PushServer push = null;
        try {
            ServerConfig first = ServerConfig.forTesting(secret);
            push = PushServer.start(first);
            WebApi api = WebApi.start(WebApiConfig.forTesting(db.url(), push.adminUri().toString(), secret,
                    TestDatabase.tempDir("pushgate-uploads"), Map.of("DEMO_DATA", "true",
                            "PUSH_PUBLIC_WS_URL", push.wsUri().toString(),
                            "RATE_LIMIT_PER_SECOND", "100", "RATE_LIMIT_BURST", "100")));
            return new ChatStack(db, first.withPorts(push.wsUri().getPort(), push.adminUri().getPort()), push, api);
        } catch (RuntimeException e) {
            if (push != null) {
                push.close();
            }
            db.close();
            throw e;
        }
    }

    /** Where the pages are, e.g. {@code http://127.0.0.1:41234}. */
    URI base() {
        return api.uri();
    }

    /** The WebSocket URL the pages are given (PUSH_PUBLIC_WS_URL). */
    String wsUrl() {
        return api.config().publicWsUrl();
    }

    URI page(String pathAndQuery) {
        return base().resolve(pathAndQuery);
    }

    /** Stops the push-server: every page loses its socket. */
    void stopPushServer() {
        push.close();
    }

    /** Starts the push-server again on the same ports. */
    void startPushServer() {
        push = PushServer.start(pushConfig);
    }

    long uidOf(String username) {
        return api.jdbi().onDemand(UserDao.class).uidOf(username).orElseThrow();
    }

    /** Sends text messages from a demo user to another through the REST API, as a setup step. */
    void sendTexts(String from, long toUid, List<String> texts) {
        String token = post("/api/login", null, Map.of("username", from, "password", "demo"))
                .get("token").asString();
        for (String text : texts) {
            post("/api/messages", token, Map.of("to_uid", toUid, "type", "text", "content", text));
        }
    }

    private JsonNode post(String path, String token, Map<String, ?> body) {
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
        try {
            api.close();
        } finally {
            try {
                push.close();
            } finally {
                db.close();
            }
        }
    }

}
