package io.pushgate.server.broker;

import io.pushgate.server.hub.OutboundFrame;
import java.util.Collection;
import java.util.Set;

/** The single-node broker: every connection is local, so it hands each call straight to the node's handler. */
public final class MemoryBroker implements Broker {
    private final DeliveryHandler handler;

    public MemoryBroker(DeliveryHandler handler) {
        this.handler = handler;
    }

    @Override
    public int deliver(Collection<String> clientIds, OutboundFrame frame) {
        return handler.deliverLocal(clientIds, frame);
    }

    @Override
    public int deliverToAll(OutboundFrame frame, Set<String> excludeClientIds) {
        return handler.deliverLocalToAll(frame, excludeClientIds);
    }

    @Override
    public boolean closeClient(String clientId, OutboundFrame lastFrame) {
        return handler.closeLocal(clientId, lastFrame);
    }

    @Override
    public void close() {
    }
}
