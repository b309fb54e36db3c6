package io.pushgate.client;

/**
 * A push-server admin call that failed. Unchecked: most callers let it propagate to their own error handling.
 *
 * <p>The subclasses name the failures a caller may want to treat apart:
 * <ul>
 *   <li>{@link UnauthorizedException}: the secret is wrong (401 {@code unauthorized}); a configuration error.</li>
 *   <li>{@link ClientNotFoundException}: the client_id is not connected (404 {@code client_not_found}), e.g. a
 *       page that closed between connecting and binding.</li>
 *   <li>{@link BadRequestException}: the server refused the arguments (400 {@code bad_request}, 413).</li>
 *   <li>{@link UnavailableException}: no admin URL answered in time, or the server failed (5xx). The call may or
 *       may not have taken effect.</li>
 * </ul>
 *
 * <p>{@link #code()} is the server's stable, machine-readable error code (or one of the client's own codes for
 * failures that never reached a server); {@link #getMessage()} is the server's message, for people.
 */
public class PushException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /**
     * Creates an exception.
     *
     * @param status the HTTP status of the answer (for a call in a batch, the status the server gave that call),
     *               or 0 when there was none (a connection failure or timeout)
     * @param code the server's error code, e.g. {@code client_not_found}
     * @param message what went wrong, for people
     * @param cause the underlying failure, or null
     */
    public PushException(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status of the server's answer, or 0 when there was none (connection failure, timeout). */
    public int status() {
        return status;
    }

    /** The error code: the server's ({@code unauthorized}, {@code client_not_found}, ...) or the client's own. */
    public String code() {
        return code;
    }

    /**
     * The fitting exception for one call's error inside a batch, with the HTTP status the server put in it. A server
     * older than that field gives none ({@code status} 0): then the status the same call would have had on its own,
     * from its code, so that a call behaves the same whether or not it travelled in a batch.
     */
    static PushException ofBatch(int status, String code, String message) {
        if (status <= 0) {
            status = switch (code) {
                case "unauthorized" -> 401;
                case "bad_request" -> 400;
                case "client_not_found", "unknown_method" -> 404;
                case "payload_too_large" -> 413;
                case "unavailable" -> 503;
                default -> 500;
            };
        }
        return of(status, code, message);
    }

    /** The fitting exception for an error answer. */
    static PushException of(int status, String code, String message) {
        if (status == 401 || "unauthorized".equals(code)) {
            return new UnauthorizedException(status, code, message);
        }
        if ("client_not_found".equals(code)) {
            return new ClientNotFoundException(status, code, message);
        }
        if (status == 400 || status == 413 || "bad_request".equals(code) || "payload_too_large".equals(code)) {
            return new BadRequestException(status, code, message);
        }
        if (status >= 500 || "unavailable".equals(code)) {
            return new UnavailableException(status, code, message, null);
        }
        return new PushException(status, code, message, null);
    }
}
