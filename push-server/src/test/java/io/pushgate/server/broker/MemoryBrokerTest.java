package io.pushgate.server.broker;

import io.pushgate.server.hub.ClientIdGenerator;

class MemoryBrokerTest extends BrokerContract {
    private final ClientIdGenerator ids = new ClientIdGenerator("mem");

    @Override
    protected Broker newBroker(DeliveryHandler handler) {
        return new MemoryBroker(handler);
    }

    @Override
    protected String connectLocal() {
        String id = ids.next();
        handler.connected.add(id);
        return id;
    }
}
