package io.pushgate.server.ws;

import io.pushgate.server.hub.Connection;

/**
 * Hands what the handshake learned (the transport connection, the uid from a connect token, the limiter slot it
 * holds) to
 * {@link PushEndpoint#onOpen}. Tyrus opens the session synchronously inside
 * {@code UpgradeInfo.createConnection}, on the thread that runs the handshake, and offers no per-connection
 * parameter for it; so the filter sets this around that one call and clears it right after.
 */
record HandshakeContext(Connection connection, String uid, ConnectionLimiter.Slot slot) {
    private static final ThreadLocal<HandshakeContext> CURRENT = new ThreadLocal<>();

    static void set(HandshakeContext context) {
        CURRENT.set(context);
    }

    static HandshakeContext current() {
        return CURRENT.get();
    }

    static void clear() {
        CURRENT.remove();
    }
}
