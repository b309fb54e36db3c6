package io.pushgate.server.presence;

/** The client_id names no connected client. */
public final class UnknownClientException extends Exception {
    private final String clientId;

    public UnknownClientException(String clientId) {
        super("client " + clientId + " is not connected", null, false, false);
        this.clientId = clientId;
    }

    public String clientId() {
        return clientId;
    }
}
