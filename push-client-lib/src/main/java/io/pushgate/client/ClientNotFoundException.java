package io.pushgate.client;

/**
 * The client_id is not connected to any push-server (404 {@code client_not_found}): the page closed or never existed.
 * Usually harmless: the page binds again when it reconnects.
 */
public class ClientNotFoundException extends PushException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception; see {@link PushException#PushException(int, String, String, Throwable)}. */
    public ClientNotFoundException(int status, String code, String message) {
        super(status, code, message, null);
    }
}
