package io.pushgate.server;

import io.pushgate.server.admin.AdminApi;
import io.pushgate.server.admin.AdminListener;
import io.pushgate.server.broker.Broker;
import io.pushgate.server.broker.MemoryBroker;
import io.pushgate.server.hub.Connection;
import io.pushgate.server.hub.Hub;
import io.pushgate.server.metrics.ServerMetrics;
import io.pushgate.server.presence.MemoryPresence;
import io.pushgate.server.presence.Presence;
import io.pushgate.server.redis.RedisBackend;
import io.pushgate.server.ws.Heartbeat;
import io.pushgate.server.ws.WebSocketListener;
import jakarta.websocket.CloseReason.CloseCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running push-server: the composition root that builds every part from a {@link ServerConfig} and wires them
 * together. {@link #start} returns once both listeners accept connections; {@link #close} shuts down cleanly.
 *
 * <pre>{@code
 * try (PushServer server = PushServer.start(ServerConfig.forTesting("secret"))) {
 *     URI ws = server.wsUri();       // ws://127.0.0.1:<port>/
 *     URI admin = server.adminUri(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class PushServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushServer.class);

    private final ServerConfig config;
    private final ScheduledExecutorService scheduler;
    private final Hub hub;
    private final Presence presence;
    private final Broker broker;
    private final WebSocketListener ws;
    private final AdminListener admin;
    private final RedisBackend cluster; // null on a single node
    private volatile boolean closed;

    private PushServer(ServerConfig config) {
        this.config = config;
        JsonMapper json = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .build();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushgate-scheduler");
            t.setDaemon(true);
            return t;
        });
        hub = new Hub(scheduler);
        if (config.redisUri() != null) {
            try {
                cluster = RedisBackend.start(config, hub, json, this::reconnectForgottenClients);
            } catch (RuntimeException e) {
                scheduler.shutdownNow();
                throw e;
            }
            presence = cluster.presence();
            broker = cluster.broker();
        } else {
            cluster = null;
            presence = new MemoryPresence();
            broker = new MemoryBroker(hub);
        }
        ServerMetrics metrics = new ServerMetrics(hub, presence);
        ws = new WebSocketListener(config, hub, presence, json);
        admin = new AdminListener(config, new AdminApi(presence, broker, hub, json, config.nodeId()), metrics, json);
    }

    /** Builds and starts a server; throws if a port cannot be bound. */
    public static PushServer start(ServerConfig config) {
        PushServer server = new PushServer(config);
        try {
            server.ws.start();
            server.admin.start();
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot bind: " + e.getMessage(), e);
        }
        long period = config.pingIntervalSeconds();
        server.scheduler.scheduleAtFixedRate(new Heartbeat(server.hub, config.pingIntervalSeconds()),
                period, period, TimeUnit.SECONDS);
        log.info("push-server ready: ws {} admin {} (node {}, {})", server.wsUri(), server.adminUri(),
                config.nodeId(), config.redisUri() == null ? "single node" : "cluster");
        return server;
    }

    public URI wsUri() {
        return URI.create("ws://" + displayHost(config.wsHost()) + ":" + ws.port() + "/");
    }

    public URI adminUri() {
        return URI.create("http://" + displayHost(config.adminHost()) + ":" + admin.port());
    }

    public ServerConfig config() {
        return config;
    }

    /** The node-local connection hub (for tests and benchmarks). */
    public Hub hub() {
        return hub;
    }

    /** The presence store (for tests). */
    public Presence presence() {
        return presence;
    }

    /**
     * Shuts down: refuses new connections, closes every open one with 1001 (going away), waits up to two seconds
     * for them to go, then stops the listeners.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ws.stopAccepting();
        int open = hub.size();
        hub.closeAll();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (hub.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // waiting on other threads' close callbacks; nothing to latch on in Tyrus
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        admin.close();
        ws.close();
        broker.close();
        presence.close();
        if (cluster != null) {
            cluster.close();
        }
        scheduler.shutdownNow();
        log.info("push-server stopped ({} connections closed)", open);
    }

    /**
     * For tests of cluster mode: stops this node the way a killed process stops. Its heartbeat stops and its Redis
     * connections and sockets drop without any cleanup, so the other nodes only learn of it when its heartbeat
     * expires.
     */
    public void simulateCrash() {
        if (cluster == null) {
            throw new IllegalStateException("simulateCrash is for cluster mode");
        }
        if (closed) {
            return;
        }
        closed = true;
        cluster.halt();
        ws.stopAccepting();
        hub.forEach(Connection::terminate);
        admin.close();
        ws.close();
        scheduler.shutdownNow();
        log.info("push-server node {} crashed (simulated)", config.nodeId());
    }

    /**
     * The cluster forgot this node (see docs/CLUSTER.md): closes with 1012 every local connection that the presence
     * store no longer knows, so that its client reconnects and is bound again. Connections registered since are
     * kept. Throws if the store cannot be reached; the caller tries again.
     */
    private void reconnectForgottenClients() {
        List<Connection> local = new ArrayList<>(hub.size());
        hub.forEach(local::add);
        for (Connection c : local) {
            if (!presence.isOnline(c.clientId())) {
                hub.close(c, CloseCodes.SERVICE_RESTART, "forgotten by the cluster: reconnect");
            }
        }
    }

    private static String displayHost(String host) {
        return "0.0.0.0".equals(host) ? "localhost" : host;
    }
}
