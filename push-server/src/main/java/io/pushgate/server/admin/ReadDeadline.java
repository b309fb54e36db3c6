package io.pushgate.server.admin;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.utils.DelayedExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener's read deadline: a request must arrive whole, headers then body, within
 * PUSH_ADMIN_READ_TIMEOUT_MS of its first byte.
 *
 * <p>This filter sits ahead of the HTTP codec. The first byte of a request starts its clock; a connection whose
 * headers are not all in when the clock runs out is closed (there is no request to answer yet). Once the headers
 * are in, {@link AdminHttpHandler} takes what is left of the budget ({@link #headersRead}) as the timeout of its
 * suspended response and answers 408 when the body is late. No clock runs between requests, so an idle keep-alive
 * connection stays (until the listener's keep-alive idle timeout) and, like every wait here, holds no thread.
 */
final class ReadDeadline extends BaseFilter {
    private static final Logger log = LoggerFactory.getLogger(ReadDeadline.class);
    private static final Attribute<Clock> CLOCK = Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
            ReadDeadline.class.getName() + ".clock", Clock::new);

    /** Not awaiting headers: a connection stays in the queue for its life, so a request costs no queue change. */
    private static final long NEVER = Long.MAX_VALUE;

    /** One connection's clock. */
    private static final class Clock {
        volatile long expiresAt = DelayedExecutor.UNSET_TIMEOUT; // wall-clock millis while the headers are awaited
        volatile long startedAt; // System.nanoTime() at the request's first byte
        volatile boolean inRequest; // from a request's first byte until its whole body is in
    }

    private final long timeoutMillis;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pushgate-admin-read-deadline");
        t.setDaemon(true);
        return t;
    });
    private final DelayedExecutor timer = new DelayedExecutor(thread, 100, TimeUnit.MILLISECONDS);
    private final DelayedExecutor.DelayQueue<Connection> awaitingHeaders;

    ReadDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.awaitingHeaders = timer.createDelayQueue(this::headersLate, new DelayedExecutor.Resolver<>() {
            @Override
            public boolean removeTimeout(Connection connection) {
                Clock clock = CLOCK.get(connection);
                boolean was = clock.expiresAt != DelayedExecutor.UNSET_TIMEOUT;
                clock.expiresAt = DelayedExecutor.UNSET_TIMEOUT;
                return was;
            }

            @Override
            public long getTimeoutMillis(Connection connection) {
                return CLOCK.get(connection).expiresAt;
            }

            @Override
            public void setTimeoutMillis(Connection connection, long millis) {
                CLOCK.get(connection).expiresAt = millis;
            }
        });
    }

    void start() {
        timer.start();
    }

    void stop() {
        timer.destroy();
        thread.shutdownNow();
    }

    @Override
    public NextAction handleAccept(FilterChainContext ctx) {
        awaitingHeaders.add(ctx.getConnection(), NEVER, TimeUnit.MILLISECONDS);
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) {
        Clock clock = CLOCK.get(ctx.getConnection());
        if (!clock.inRequest) { // the first byte of a request
            clock.inRequest = true;
            clock.startedAt = System.nanoTime();
            clock.expiresAt = System.currentTimeMillis() + timeoutMillis;
        }
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleClose(FilterChainContext ctx) {
        awaitingHeaders.remove(ctx.getConnection());
        return ctx.getInvokeAction();
    }

    /** The headers of the connection's request are in: returns the milliseconds left for its body (at least 1). */
    long headersRead(Connection connection) {
        Clock clock = CLOCK.get(connection);
        clock.expiresAt = NEVER;
        long spent = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - clock.startedAt);
        return Math.max(1, timeoutMillis - spent);
    }

    /** The connection's request is wholly in: its next byte starts the next request's clock. */
    void requestRead(Connection connection) {
        CLOCK.get(connection).inRequest = false;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    private boolean headersLate(Connection connection) {
        log.warn("closed an admin connection from {}: request headers not in within {} ms",
                connection.getPeerAddress(), timeoutMillis);
        connection.closeSilently();
        return true;
    }
}
