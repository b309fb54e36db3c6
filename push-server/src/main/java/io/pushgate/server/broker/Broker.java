package io.pushgate.server.broker;

import io.pushgate.server.hub.OutboundFrame;
import java.util.Collection;
import java.util.Set;

/**
 * Carries frames to connections wherever they are held: on this node, or on another node of the cluster.
 *
 * <p>Guarantees: a frame handed to a connection is written to it at most once; frames from one caller to one
 * connection keep their order. A connection that closes meanwhile simply does not count. Nothing is stored: a
 * client that is not connected when the frame is delivered never gets it (the web-api's /api/sync is the
 * recovery path).
 *
 * <p>Implementations: {@link MemoryBroker} for a single node, a Redis one for a cluster.
 */
public interface Broker extends AutoCloseable {

    /** Delivers {@code frame} to each of {@code clientIds}; returns the number of connections that took it. */
    int deliver(Collection<String> clientIds, OutboundFrame frame);

    /** Delivers {@code frame} to every connection but the excluded ones; returns how many took it. */
    int deliverToAll(OutboundFrame frame, Set<String> excludeClientIds);

    /** Sends {@code lastFrame} (may be null), then closes the connection; true if it was connected. */
    boolean closeClient(String clientId, OutboundFrame lastFrame);

    @Override
    void close();
}
