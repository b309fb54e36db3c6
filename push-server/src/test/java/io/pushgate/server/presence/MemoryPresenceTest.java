package io.pushgate.server.presence;

import io.pushgate.server.hub.ClientIdGenerator;

class MemoryPresenceTest extends PresenceContract {
    private final ClientIdGenerator ids = new ClientIdGenerator("mem");

    @Override
    protected Presence newPresence() {
        return new MemoryPresence();
    }

    @Override
    protected String newClientId() {
        return ids.next();
    }
}
