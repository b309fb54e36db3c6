package io.pushgate.client;

/**
 * The server refused the call's arguments (400 {@code bad_request}, or 413 when the body is too large).
 * A bug in the caller; retrying will not help.
 */
public class BadRequestException extends PushException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception; see {@link PushException#PushException(int, String, String, Throwable)}. */
    public BadRequestException(int status, String code, String message) {
        super(status, code, message, null);
    }
}
