package io.pushgate.server.admin;

import io.pushgate.server.JsonHttpErrors;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.metrics.ServerMetrics;
import java.io.IOException;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.strategies.SameThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import tools.jackson.databind.json.JsonMapper;

/** The internal admin HTTP listener on PUSH_ADMIN_HOST:PUSH_ADMIN_PORT. */
public final class AdminListener implements AutoCloseable {
    private static final String NAME = "pushgate-admin";
    private final HttpServer server = new HttpServer();
    private final NetworkListener listener;
    private final ReadDeadline deadline;

    public AdminListener(ServerConfig config, AdminApi api, ServerMetrics metrics, JsonMapper json) {
        listener = new NetworkListener(NAME, config.adminHost(), config.adminPort());
        int workers = Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
        listener.getTransport().setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
                .setPoolName(NAME + "-worker").setCorePoolSize(workers).setMaxPoolSize(workers));
        listener.getTransport().setTcpNoDelay(true);
        if (config.redisUri() == null) {
            // Single node: every admin call is in-memory work, a body read that never waits for the client
            // (AdminHttpHandler) and socket writes that never block, so it runs on the selector thread that read
            // it: no hand-off to a worker, about 1.6x the calls per second on one core. In cluster mode calls
            // wait on Redis, so they keep the worker pool.
            listener.getTransport().setIOStrategy(SameThreadIOStrategy.getInstance());
        }
        listener.getKeepAlive().setMaxRequestsCount(-1);
        JsonHttpErrors.install(listener, json);
        deadline = new ReadDeadline(config.adminReadTimeoutMillis());
        listener.registerAddOn((networkListener, builder) -> // ahead of the HTTP codec: it sees every byte read
                builder.add(builder.indexOfType(org.glassfish.grizzly.http.HttpServerFilter.class), deadline));
        server.addListener(listener);
        server.getServerConfiguration().setJmxEnabled(false);
        server.getServerConfiguration().setName(NAME);
        server.getServerConfiguration().addHttpHandler(new AdminHttpHandler(api, metrics, json,
                config.adminSecret(), config.maxAdminBodyBytes(), config.nodeId(), deadline), "/");
    }

    public void start() throws IOException {
        deadline.start();
        server.start();
    }

    public int port() {
        return listener.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        deadline.stop();
    }
}
