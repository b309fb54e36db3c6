package io.pushgate.webapi.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis every web-api instance shares (REDIS_URL): one connection, its command timeout, and what to do when
 * Redis does not answer. Built by the composition root when REDIS_URL is set; only this package imports Redis.
 *
 * <p>Every command gives up after the URL's timeout ({@code redis://host:6379/0?timeout=250ms}), {@value
 * #DEFAULT_TIMEOUT_MS} ms unless it names one, so a stalled Redis delays a request by at most that much; while the
 * connection is down commands fail at once rather than queue, and Lettuce reconnects in the background (a
 * connection's handshake may take 2 s, a slow start is not a stall). After a
 * failure, callers are told not to ask Redis for {@value #BACKOFF_MS} ms ({@link #available}), so a stall costs
 * one timeout per second at most, not one per request; failures are logged at WARN at most once per {@value
 * #WARN_EVERY_MS} ms. At start, Redis must answer: a wrong URL stops web-api with a clear message.
 */
public final class RedisStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisStore.class);
    static final long DEFAULT_TIMEOUT_MS = 250;
    static final long BACKOFF_MS = 1000;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final long WARN_EVERY_MS = 10_000;

    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String where;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final AtomicLong unavailableUntil;
    private final AtomicLong nextWarning;

    private RedisStore(RedisURI uri, LongSupplier nanoTime) {
        this.timeout = uri.getTimeout().equals(RedisURI.DEFAULT_TIMEOUT_DURATION)
                ? Duration.ofMillis(DEFAULT_TIMEOUT_MS) : uri.getTimeout();
        uri.setTimeout(CONNECT_TIMEOUT); // the handshake of a (re)connection; commands have their own timeout below
        this.nanoTime = nanoTime;
        this.unavailableUntil = new AtomicLong(nanoTime.getAsLong());
        this.nextWarning = new AtomicLong(nanoTime.getAsLong());
        this.where = uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(1)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build());
        try {
            connection = client.connect();
            connection.setTimeout(timeout);
        } catch (RedisException e) {
            shutdown();
            throw new IllegalStateException("cannot connect to Redis at " + where + " (REDIS_URL): "
                    + e.getMessage(), e);
        }
    }

    /** Connects to {@code url} ({@code redis://host:port/db}, optionally {@code ?timeout=…}); fails if it cannot. */
    public static RedisStore connect(String url, LongSupplier nanoTime) {
        return new RedisStore(RedisURI.create(url), nanoTime);
    }

    /** Blocking commands, each bounded by {@link #timeout}. */
    RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** How long a command may take. */
    public Duration timeout() {
        return timeout;
    }

    /** False for {@value #BACKOFF_MS} ms after a failure: callers use their fallback instead of waiting again. */
    boolean available() {
        return nanoTime.getAsLong() - unavailableUntil.get() >= 0;
    }

    /** Records that a command failed (timed out, or the connection is down) and warns now and then. */
    void failed(String what, RuntimeException e) {
        long now = nanoTime.getAsLong();
        unavailableUntil.set(now + TimeUnit.MILLISECONDS.toNanos(BACKOFF_MS));
        long next = nextWarning.get();
        if (now - next >= 0 && nextWarning.compareAndSet(next, now + TimeUnit.MILLISECONDS.toNanos(WARN_EVERY_MS))) {
            log.warn("Redis at {} failed ({}: {}); {} for the next {} ms (further failures are not logged for {} s)",
                    where, what, e.toString(), "falling back to this instance's own state", BACKOFF_MS,
                    WARN_EVERY_MS / 1000);
        }
    }

    @Override
    public String toString() {
        return "Redis at " + where;
    }

    @Override
    public void close() {
        connection.close();
        shutdown();
    }

    private void shutdown() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
    }
}
