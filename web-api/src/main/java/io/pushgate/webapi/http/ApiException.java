package io.pushgate.webapi.http;

import java.util.Map;

/**
 * A request that cannot be served, answered with the contract's error body and {@link #status()}. Handlers throw
 * it; {@link ErrorMapping} turns it into the response, so no handler writes an error body itself.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false); // control flow, not a bug: no stack trace
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Extra response headers, such as Retry-After. */
    public Map<String, String> headers() {
        return headers;
    }
}
