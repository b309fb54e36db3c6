package io.pushgate.server;

/**
 * The backend shared by a cluster's nodes (Redis: the broker and the presence store) cannot be reached right now;
 * the admin API answers 503. A single node's memory backend never throws it.
 */
public final class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
