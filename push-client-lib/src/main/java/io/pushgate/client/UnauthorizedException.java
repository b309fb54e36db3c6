package io.pushgate.client;

/** The admin secret was refused (401 {@code unauthorized}). Retrying will not help: fix the configuration. */
public class UnauthorizedException extends PushException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception; see {@link PushException#PushException(int, String, String, Throwable)}. */
    public UnauthorizedException(int status, String code, String message) {
        super(status, code, message, null);
    }
}
