package io.pushgate.webapi.browser;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.webapi.TestDatabase;
import io.pushgate.webapi.WebApi;
import io.pushgate.webapi.WebApiConfig;
import io.pushgate.webapi.user.UserDao;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

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
            return new ChatStack(db, withPorts(first, push.wsUri().getPort(), push.adminUri().getPort()), push, api);
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

    private static ServerConfig withPorts(ServerConfig c, int wsPort, int adminPort) {
        return new ServerConfig(c.wsHost(), wsPort, c.adminHost(), adminPort, c.adminSecret(),
                c.pingIntervalSeconds(), c.nodeId(), c.redisUri(), c.connectSecret(), c.allowedOrigins(),
                c.maxConnections(), c.maxAdminBodyBytes(), c.maxQueuedBytes());
    }
}
