package io.pushgate.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.pushgate.server.BackendUnavailableException;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.broker.Broker;
import io.pushgate.server.broker.DeliveryHandler;
import io.pushgate.server.presence.Presence;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cluster mode: the Redis-backed {@link Presence} and {@link Broker} of one node, and the connections and
 * heartbeat they share. Built by the push-server's composition root when PUSH_REDIS_URI is set:
 *
 * <pre>{@code
 * RedisBackend cluster = RedisBackend.start(config, hub, json, closeForgottenConnections);
 * Presence presence = cluster.presence();
 * Broker broker = cluster.broker();
 * ...
 * cluster.close(); // after the node's connections are closed
 * }</pre>
 *
 * <p>Redis is a standalone server (or a Sentinel-managed primary; not Redis Cluster): the scripts touch keys they
 * compute. Commands time out after the URI's timeout ({@code redis://host:6379?timeout=2s}), 2 seconds unless
 * it names one; while the connection is down they fail at once rather than queue, and Lettuce reconnects in the
 * background (50 ms backoff doubling to 1 s), re-subscribing this node's channel. See docs/CLUSTER.md.
 */
public final class RedisBackend implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisBackend.class);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> strings;
    private final StatefulRedisConnection<byte[], byte[]> bytes;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    private final RedisPresence presence;
    private final RedisBroker broker;
    private final NodeRegistry registry;
    // Messages from other nodes are handled here, in arrival order, never on Lettuce's event loop: a close_client
    // ends in a presence removal, a blocking Redis call that would wait on the very thread that must read its reply.
    private final ExecutorService inbound;
    private boolean closed;

    private RedisBackend(ServerConfig config, DeliveryHandler handler, JsonMapper json, Runnable onRegistrationLost) {
        RedisURI uri = RedisURI.create(config.redisUri());
        if (uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)) {
            uri.setTimeout(DEFAULT_TIMEOUT);
        }
        Duration timeout = uri.getTimeout();
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        String where = uri.getHost() + ":" + uri.getPort();
        try {
            strings = client.connect();
            bytes = client.connect(ByteArrayCodec.INSTANCE);
            pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RedisException e) {
            shutdownClient();
            throw new BackendUnavailableException("cluster mode: cannot connect to Redis at " + where + " ("
                    + e.getMessage() + ")", e);
        }
        String prefix = config.redisPrefix();
        presence = new RedisPresence(strings.sync(), prefix, config.nodeId(), json);
        broker = new RedisBroker(bytes.async(), handler, prefix, config.nodeId(), timeout.toMillis());
        registry = new NodeRegistry(strings.sync(), prefix, config.nodeId(), config.redisHeartbeatMillis(),
                presence, onRegistrationLost);
        inbound = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pushgate-inbound-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                inbound.execute(() -> {
                    try {
                        broker.onMessage(message);
                    } catch (RuntimeException e) {
                        log.error("failed to handle a message from another node", e);
                    }
                });
            }
        });
        try {
            pubsub.sync().subscribe(RedisBroker.channelOf(prefix, config.nodeId()).getBytes(StandardCharsets.UTF_8));
            registry.start();
        } catch (RedisException e) {
            close();
            throw new BackendUnavailableException("cluster mode: Redis at " + where + " failed at start ("
                    + e.getMessage() + ")", e);
        }
        log.info("node {} joined the cluster at {} (prefix '{}', heartbeat {} ms)", config.nodeId(), where, prefix,
                config.redisHeartbeatMillis());
    }

    /**
     * Connects to PUSH_REDIS_URI, removes what a previous run of this node id left, subscribes to this node's
     * channel and starts the heartbeat. Throws {@link BackendUnavailableException} when Redis cannot be reached.
     *
     * @param handler            delivers frames to this node's connections (the hub)
     * @param onRegistrationLost called when the cluster forgot this node (see {@link NodeRegistry}), and again at
     *                           each heartbeat until it returns normally; it should close the local connections
     *                           that {@link #presence()} no longer knows
     */
    public static RedisBackend start(ServerConfig config, DeliveryHandler handler, JsonMapper json,
                                     Runnable onRegistrationLost) {
        return new RedisBackend(config, handler, json, onRegistrationLost);
    }

    public Presence presence() {
        return presence;
    }

    public Broker broker() {
        return broker;
    }

    /**
     * Simulates a crash, for tests: the heartbeat stops and the Redis connections drop, with nothing removed from
     * Redis; the other nodes purge this node when its heartbeat expires.
     */
    public synchronized void halt() {
        if (closed) {
            return;
        }
        closed = true;
        registry.halt();
        presence.halt();
        inbound.shutdownNow();
        shutdownClient();
    }

    /** Leaves the cluster (this node's entries are removed) and closes the connections to Redis. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        registry.close();
        inbound.shutdownNow();
        shutdownClient();
    }

    private void shutdownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /** A failed or timed-out Redis call of the broker or the presence store, as the admin API's 503. */
    static BackendUnavailableException unavailable(RuntimeException e) {
        return new BackendUnavailableException("cluster state unavailable: Redis cannot be reached ("
                + e.getMessage() + ")", e);
    }
}
