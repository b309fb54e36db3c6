package io.pushgate.webapi.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Jetty's own error responses, written as the contract's JSON error body instead of Jetty's HTML page: the
 * errors Jetty raises before web-api's handlers run (a bad request line, URI or header, 414, 431, 505, a body that
 * is too large or ends early, a request that arrives too slowly). What the client got wrong (every 4xx, and a 505)
 * is logged through {@link RequestWarnings}; any other 5xx here is a bug and logged at ERROR, still without a stack
 * trace in the response.
 */
public final class JsonErrorHandler extends ErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

    private final ObjectMapper json;
    private final RequestWarnings warnings;

    public JsonErrorHandler(ObjectMapper json, RequestWarnings warnings) {
        this.json = json;
        this.warnings = warnings;
        setShowStacks(false);
    }

    /** Every method gets the body (Jetty's default writes one only for GET, POST and HEAD). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        ErrorBody body = body(status, message);
        logged(status, body, request.getMethod() + " " + request.getHttpURI().getPathQuery(), cause);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(json.writeValueAsBytes(body)), callback);
    }

    /** The body of an error Jetty answers before it has made a request of the bytes (HTTP/1 parse errors). */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        ErrorBody body = body(status, reason);
        warnings.warn(status + " " + body.error().code(), "unparsable request: " + body.error().message());
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(json.writeValueAsBytes(body));
    }

    private static ErrorBody body(int status, String message) {
        String text = message == null || message.isBlank() || message.matches("\\d{3}")
                ? ErrorMapping.reasonFor(status) : message;
        return ErrorBody.of(ErrorMapping.codeFor(status), text);
    }

    private void logged(int status, ErrorBody body, String what, Throwable cause) {
        if (cause instanceof IOException) { // the client went away or was cut off: nothing of ours failed
            warnings.warn("connection lost", what + ": " + cause);
        } else if (status >= 500 && !(cause instanceof HttpException)) { // HttpException: Jetty refused the request
            log.error("{} answered {} {}: {}", what, status, body.error().message(),
                    cause == null ? "" : cause.toString());
        } else {
            warnings.warn(status + " " + body.error().code(), what + ": " + body.error().message());
        }
    }
}
