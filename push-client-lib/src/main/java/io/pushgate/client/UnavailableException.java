package io.pushgate.client;

/**
 * No push-server could serve the call: every admin URL refused the connection, the call's timeout passed, or the
 * server answered 5xx. Codes: {@code connect_failed} and {@code timeout} (the client's own, {@link #status()} 0),
 * or the server's ({@code unavailable}, {@code internal_error}).
 *
 * <p>After a timeout or a 5xx the call may have taken effect; the client never retries it by itself.
 */
public class UnavailableException extends PushException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception; see {@link PushException#PushException(int, String, String, Throwable)}. */
    public UnavailableException(int status, String code, String message, Throwable cause) {
        super(status, code, message, cause);
    }
}
