package io.pushgate.server.broker;

import io.pushgate.server.hub.OutboundFrame;
import java.util.Collection;
import java.util.Set;

/**
 * What a {@link Broker} calls on the node that holds the connections. The node's hub implements it; every broker,
 * the memory one included, delivers through it, so a single node runs the same delivery path as a cluster.
 */
public interface DeliveryHandler {

    /** Writes {@code frame} to those of {@code clientIds} connected here; returns how many took it. */
    int deliverLocal(Collection<String> clientIds, OutboundFrame frame);

    /** Writes {@code frame} to every connection here but the excluded ones; returns how many took it. */
    int deliverLocalToAll(OutboundFrame frame, Set<String> excludeClientIds);

    /** Sends {@code lastFrame} (may be null) and closes the connection if it is here; true if it was. */
    boolean closeLocal(String clientId, OutboundFrame lastFrame);
}
