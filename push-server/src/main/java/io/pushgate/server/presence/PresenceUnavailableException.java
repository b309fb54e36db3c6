package io.pushgate.server.presence;

/** The shared state cannot be reached right now (a cluster's Redis is down); the admin API answers 503. */
public final class PresenceUnavailableException extends RuntimeException {
    public PresenceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
