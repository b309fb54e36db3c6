package io.pushgate.webapi.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.pushgate.webapi.db.DatabaseFailures;
import io.pushgate.webapi.push.PushChannel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps every failure to the contract's JSON error body, once, for the whole app: {@link ApiException} as thrown,
 * Javalin's own responses (unknown route, method not allowed, body too large) by status, an unreachable database
 * to 503 {@code database_unavailable}, an unreachable push-server to 503 {@code push_unavailable} (no Retry-After:
 * how long an outage lasts is unknown), a connection the push-server does not know to 404 {@code client_not_found},
 * a transaction the database rolled back for a lock conflict (a deadlock with
 * another request or instance, or a lock-wait timeout) to 503 {@code unavailable} with Retry-After, since the same
 * request may well succeed again, and anything else to 500 {@code internal_error} without a stack trace in
 * the response. Errors Jetty raises before a handler runs are written by {@link JsonErrorHandler}, same codes.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

    private ErrorMapping() {
    }

    public static void register(RoutesConfig routes) {
        routes.exception(ApiException.class, (e, ctx) -> {
            e.headers().forEach(ctx::header);
            write(ctx, e.status(), e.code(), e.getMessage());
        });
        routes.exception(PushChannel.PushUnavailableException.class, (e, ctx) -> {
            write(ctx, 503, "push_unavailable", "the push-server cannot be reached; retry shortly");
        });
        routes.exception(PushChannel.ClientNotConnectedException.class, (e, ctx) -> {
            String message = e.getMessage() == null ? "the client is not connected" : e.getMessage();
            write(ctx, 404, "client_not_found", message);
        });
        routes.exception(HttpResponseException.class, (e, ctx) -> {
            write(ctx, e.getStatus(), codeFor(e.getStatus()), messageFor(e));
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (DatabaseFailures.isUnavailable(e)) {
                log.warn("database unavailable: {} {}: {}", ctx.method(), ctx.path(), rootCause(e));
                ctx.header("Retry-After", "1");
                write(ctx, 503, "database_unavailable", "the database is unavailable; try again shortly");
            } else if (DatabaseFailures.isLockConflict(e)) {
                log.warn("lock conflict: {} {}: {}", ctx.method(), ctx.path(), rootCause(e));
                ctx.header("Retry-After", "1");
                write(ctx, 503, "unavailable", "the request collided with another one; try again");
            } else {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                write(ctx, 500, "internal_error", "internal error");
            }
        });
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static void write(Context ctx, int status, String code, String message) {
        ctx.status(status).json(ErrorBody.of(code, message));
    }

    /** The contract's code for an HTTP status (shared with {@link JsonErrorHandler}). */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 431 -> "request_header_fields_too_large";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> HttpStatus.forStatus(status).name().toLowerCase(Locale.ROOT);
        };
    }

    private static String messageFor(HttpResponseException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? reasonFor(e.getStatus()) : message;
    }

    /** The status's reason phrase, e.g. "Request Timeout". */
    static String reasonFor(int status) {
        return HttpStatus.forStatus(status).getMessage();
    }
}
