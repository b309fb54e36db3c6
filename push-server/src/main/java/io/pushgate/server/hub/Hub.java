package io.pushgate.server.hub;

import io.pushgate.server.broker.DeliveryHandler;
import jakarta.websocket.CloseReason.CloseCodes;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections this node holds, by client_id. Node-local in every mode: uids, groups and sessions live in the
 * {@link io.pushgate.server.presence.Presence}, which may span a cluster.
 */
public final class Hub implements DeliveryHandler {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    /** How long a closing connection may take to finish the closing handshake before it is dropped. */
    static final long CLOSE_GRACE_SECONDS = 5;

    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final LongAdder framesSent = new LongAdder();
    private final LongAdder framesDropped = new LongAdder();
    private final LongAdder slowClientCloses = new LongAdder();
    private final LongAdder connectionsOpened = new LongAdder();

    public Hub(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Registers a new connection; false if its client_id is taken (it never should be). */
    public boolean add(Connection connection) {
        boolean added = connections.putIfAbsent(connection.clientId(), connection) == null;
        if (added) {
            connectionsOpened.increment();
        }
        return added;
    }

    /** Forgets the connection; true if it was registered. */
    public boolean remove(Connection connection) {
        return connections.remove(connection.clientId(), connection);
    }

    public Connection get(String clientId) {
        return connections.get(clientId);
    }

    public int size() {
        return connections.size();
    }

    public void forEach(Consumer<Connection> action) {
        connections.values().forEach(action);
    }

    /** Writes one frame to one connection, counting it and closing a connection that fell too far behind. */
    public boolean sendAndCount(Connection connection, OutboundFrame frame) {
        boolean sent = sendUncounted(connection, frame);
        if (sent) {
            framesSent.increment();
        }
        return sent;
    }

    @Override
    public int deliverLocal(Collection<String> clientIds, OutboundFrame frame) {
        int delivered = 0;
        for (String id : clientIds) {
            Connection c = connections.get(id);
            if (c != null && sendUncounted(c, frame)) {
                delivered++;
            }
        }
        framesSent.add(delivered);
        return delivered;
    }

    @Override
    public int deliverLocalToAll(OutboundFrame frame, Set<String> excludeClientIds) {
        int delivered = 0;
        for (Connection c : connections.values()) {
            if ((excludeClientIds.isEmpty() || !excludeClientIds.contains(c.clientId())) && sendUncounted(c, frame)) {
                delivered++;
            }
        }
        framesSent.add(delivered);
        return delivered;
    }

    @Override
    public boolean closeLocal(String clientId, OutboundFrame lastFrame) {
        Connection c = connections.get(clientId);
        if (c == null) {
            return false;
        }
        if (lastFrame != null) {
            sendAndCount(c, lastFrame);
        }
        close(c, CloseCodes.NORMAL_CLOSURE, "closed by server");
        return true;
    }

    /** Closes with {@code code}, and drops the socket if the client has not completed the close in time. */
    public void close(Connection c, CloseCodes code, String reason) {
        c.close(code, reason);
        scheduler.schedule(c::terminate, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Closes every connection with 1001 (going away); used on shutdown. */
    public void closeAll() {
        connections.values().forEach(c -> c.close(CloseCodes.GOING_AWAY, "server shutting down"));
    }

    // Like sendAndCount(), but leaves the sent count to the caller so that a fan-out adds to the counter once.
    private boolean sendUncounted(Connection c, OutboundFrame frame) {
        Connection.SendResult result = c.send(frame);
        if (result == Connection.SendResult.SENT) {
            return true;
        }
        if (result == Connection.SendResult.SLOW) {
            framesDropped.increment();
            closeSlow(c);
        }
        return false;
    }

    private void closeSlow(Connection c) {
        if (c.isOpen()) {
            slowClientCloses.increment();
            log.warn("closing slow client {}: {} bytes queued", c.clientId(), c.queuedBytes());
            close(c, CloseCodes.TRY_AGAIN_LATER, "slow consumer");
        }
    }

    public long framesSent() {
        return framesSent.sum();
    }

    public long framesDropped() {
        return framesDropped.sum();
    }

    public long slowClientCloses() {
        return slowClientCloses.sum();
    }

    public long connectionsOpened() {
        return connectionsOpened.sum();
    }
}
