package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.webapi.auth.PasswordHasher;
import io.pushgate.webapi.user.UserDao;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real push-server, a database of its own and web-api over them, on ephemeral loopback ports, with the demo
 * data; plus an HTTP client speaking to web-api as a given user and WebSocket clients seeing pushed frames.
 */
public final class TestStack implements AutoCloseable {
    public static final MediaType JSON = MediaType.get("application/json");
    private static final AtomicInteger USERS = new AtomicInteger();
    /** One hash for every test account (password "pw"): bcrypt is slow on purpose, and tests make many accounts. */
    static final String TEST_PASSWORD_HASH = new PasswordHasher().hash("pw");

    public final String secret = UUID.randomUUID().toString();
    public final TestDatabase db;
    public final PushServer pushServer;
    public final WebApi api;
    public final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    public final JsonMapper json = JsonMapper.builder().build();

    private final String dbUrl;
    private final List<WebApi> otherInstances = new CopyOnWriteArrayList<>();

    private TestStack(Map<String, String> overrides, TestDatabase db, String dbUrl) {
        this.db = db;
        this.dbUrl = dbUrl;
        this.pushServer = PushServer.start(ServerConfig.forTesting(secret));
        Map<String, String> env = new HashMap<>(Map.of("DEMO_DATA", "true"));
        env.putAll(overrides);
        this.api = WebApi.start(WebApiConfig.forTesting(dbUrl, pushServer.adminUri().toString(), secret,
                TestDatabase.tempDir("pushgate-uploads"), env));
    }

    /**
     * Another web-api instance on the same database and push-server, as a second process behind a load balancer
     * would be (its own pool, writer, caches and upload directory), closed with this stack. The demo data is
     * already there, so it does not seed it again.
     */
    public WebApi startInstance(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of("DEMO_DATA", "false"));
        env.putAll(overrides);
        WebApi instance = WebApi.start(WebApiConfig.forTesting(dbUrl, pushServer.adminUri().toString(), secret,
                TestDatabase.tempDir("pushgate-uploads"), env));
        otherInstances.add(instance);
        return instance;
    }

    public static TestStack start() {
        return start(Map.of());
    }

    public static TestStack start(Map<String, String> overrides) {
        TestDatabase db = TestDatabase.create();
        return new TestStack(overrides, db, db.url());
    }

    /** Starts web-api on {@code dbUrl} (e.g. through a proxy) for the given database. */
    public static TestStack startVia(TestDatabase db, String dbUrl, Map<String, String> overrides) {
        return new TestStack(overrides, db, dbUrl);
    }

    @Override
    public void close() {
        otherInstances.forEach(WebApi::close);
        api.close();
        pushServer.close();
        db.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** Logs a demo user in (password "demo"). */
    public User login(String username) {
        return login(username, "demo");
    }

    public User login(String username, String password) {
        Reply reply = anonymous().post("/api/login", Map.of("username", username, "password", password));
        assertEquals(200, reply.status(), reply.toString());
        return new User(reply.body().get("user").get("uid").asLong(), reply.body().get("token").asString());
    }

    /** A fresh buyer account of its own (so a test's counts and limits are not shared), logged in. */
    public User newUser(String role) {
        String username = "u" + USERS.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
        api.jdbi().onDemand(UserDao.class).insert(username, TEST_PASSWORD_HASH, "nick " + username,
                "", role);
        return login(username, "pw");
    }

    public User anonymous() {
        return new User(0, null);
    }

    public long uidOf(String username) {
        return api.jdbi().onDemand(UserDao.class).uidOf(username).orElseThrow();
    }

    /** An HTTP answer: status, JSON body (or null), headers. */
    public record Reply(int status, JsonNode body, okhttp3.Headers headers) {
        public String errorCode() {
            return body == null ? null : body.path("error").path("code").asString();
        }
    }

    /** A logged-in user (or anonymous with a null token) talking to web-api with the bearer token. */
    public final class User {
        public final long uid;
        public final String token;
        private final WebApi instance;

        User(long uid, String token) {
            this(uid, token, api);
        }

        private User(long uid, String token, WebApi instance) {
            this.uid = uid;
            this.token = token;
            this.instance = instance;
        }

        /** The same user and session, talking to {@code other} (an instance from {@link #startInstance}). */
        public User via(WebApi other) {
            return new User(uid, token, other);
        }

        public Reply get(String path) {
            return call(request(path).get().build());
        }

        public Reply post(String path, Object body) {
            return call(request(path).post(RequestBody.create(json.writeValueAsBytes(body), JSON)).build());
        }

        public Reply postRaw(String path, String body, MediaType type) {
            return call(request(path).post(RequestBody.create(body, type)).build());
        }

        public Reply send(Map<String, ?> body) {
            return post("/api/messages", body);
        }

        /** POST /api/uploads: {@code bytes} as the multipart field {@code file}. */
        public Reply upload(String filename, String declaredType, byte[] bytes) {
            RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                    .addFormDataPart("file", filename, RequestBody.create(bytes, MediaType.get(declaredType)))
                    .build();
            return call(request("/api/uploads").post(body).build());
        }

        public Request.Builder request(String path) {
            Request.Builder b = new Request.Builder().url(instance.uri() + path);
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return b;
        }

        /** Opens a WebSocket to the push-server and binds it to this user. */
        public Socket connectAndBind() {
            Socket socket = connect();
            Reply bound = post("/api/bind", Map.of("client_id", socket.clientId));
            assertEquals(200, bound.status(), bound.toString());
            return socket;
        }
    }

    public Reply call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            byte[] bytes = response.body().bytes();
            JsonNode body = null;
            String type = response.header("Content-Type", "");
            if (bytes.length > 0 && type.startsWith("application/json")) {
                body = json.readTree(bytes);
            }
            return new Reply(response.code(), body, response.headers());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.url() + " failed: " + e, e);
        }
    }

    /** Opens a WebSocket to the push-server and waits for its init frame. */
    public Socket connect() {
        Socket socket = new Socket();
        socket.ws = http.newWebSocket(new Request.Builder().url(pushServer.wsUri().toString()).build(), socket);
        JsonNode init = socket.next(f -> "init".equals(f.path("type").asString()));
        socket.clientId = init.get("client_id").asString();
        return socket;
    }

    /** A page's connection: every frame it receives, in order. */
    public final class Socket extends WebSocketListener implements AutoCloseable {
        public final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        WebSocket ws;
        public String clientId;

        @Override
        public void onMessage(WebSocket webSocket, String text) {
            frames.add(json.readTree(text));
        }

        /** The next frame matching {@code wanted}, skipping others; fails after 5 s. */
        public JsonNode next(Predicate<JsonNode> wanted) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    JsonNode frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
                    if (frame == null) {
                        return fail("no matching frame within 5 s");
                    }
                    if (wanted.test(frame)) {
                        return frame;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The next chat message frame's message. */
        public JsonNode nextMessage() {
            return next(f -> "message".equals(f.path("type").asString())).get("message");
        }

        /** The very next frame, whatever it is. */
        public JsonNode nextFrame() {
            return next(f -> true);
        }

        @Override
        public void close() {
            ws.close(1000, "bye");
        }
    }
}
