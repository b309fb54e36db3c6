package io.pushgate.server.ws;

import io.pushgate.server.hub.Hub;
import io.pushgate.server.hub.OutboundFrame;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.concurrent.TimeUnit;

/**
 * Runs every ping interval: pings each connection, and closes those from which nothing (a pong or any frame)
 * has arrived for two intervals.
 */
public final class Heartbeat implements Runnable {
    private final Hub hub;
    private final long silenceLimitNanos;

    public Heartbeat(Hub hub, int intervalSeconds) {
        this.hub = hub;
        this.silenceLimitNanos = TimeUnit.SECONDS.toNanos(2L * intervalSeconds);
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        hub.forEach(connection -> {
            if (now - connection.lastSeenNanos() >= silenceLimitNanos) {
                hub.close(connection, CloseCodes.GOING_AWAY, "no heartbeat");
            } else {
                connection.send(OutboundFrame.PING);
            }
        });
    }
}
