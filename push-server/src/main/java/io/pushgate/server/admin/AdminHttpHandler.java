package io.pushgate.server.admin;

import io.pushgate.server.BackendUnavailableException;
import io.pushgate.server.ErrorBody;
import io.pushgate.server.metrics.ServerMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.ReadHandler;
import org.glassfish.grizzly.http.io.NIOInputStream;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.http.server.TimeoutHandler;
import org.glassfish.grizzly.http.util.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP for the admin API: {@code POST /v1/<method>} behind the bearer secret, {@code GET /metrics} behind it too,
 * {@code GET /health} open. Every error is the contract's JSON body. Nothing here blocks: a call runs on the
 * thread that read its body (the selector thread on a single node), and a body still on its way is awaited with
 * Grizzly's non-blocking reads under the {@link ReadDeadline}.
 */
final class AdminHttpHandler extends HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String PREFIX = "/v1/";

    private final AdminApi api;
    private final ServerMetrics metrics;
    private final JsonMapper json;
    private final byte[] secret;
    private final int maxBodyBytes;
    private final byte[] healthBody;
    private final ReadDeadline deadline;

    AdminHttpHandler(AdminApi api, ServerMetrics metrics, JsonMapper json, String secret, int maxBodyBytes,
                     String nodeId, ReadDeadline deadline) {
        this.api = api;
        this.deadline = deadline;
        this.metrics = metrics;
        this.json = json;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
        this.healthBody = json.writeValueAsBytes(Map.of("status", "ok", "node_id", nodeId));
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        long millisLeft = deadline.headersRead(request.getContext().getConnection());
        String path = request.getRequestURI();
        try {
            if ("/health".equals(path)) {
                reply(request, response, 200, "application/json", healthBody);
                return;
            }
            if (!authorized(request.getHeader("Authorization"))) {
                throw new AdminException(401, "unauthorized", "missing or wrong bearer secret");
            }
            if ("/metrics".equals(path) && request.getMethod() == Method.GET) {
                reply(request, response, 200, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!path.startsWith(PREFIX)) {
                throw new AdminException(404, "not_found", "no such path: admin methods are POST /v1/<method>");
            }
            String name = path.substring(PREFIX.length());
            if (request.getMethod() != Method.POST) {
                throw new AdminException(405, "method_not_allowed", "admin methods take POST");
            }
            if (!api.has(name)) {
                throw new AdminException(404, "unknown_method", "no admin method '" + name + "'");
            }
            long declared = request.getContentLengthLong(); // or -1 (chunked)
            if (declared > maxBodyBytes) {
                throw tooLarge();
            }
            NIOInputStream in = request.getNIOInputStream();
            if (bodyIn(in, declared)) { // the common case: handled at once, on the thread that read it
                call(request, response, name, in, declared);
            } else {
                new Call(request, response, name, in, declared).await(millisLeft);
            }
        } catch (AdminException e) {
            replyError(request, response, e);
        }
    }

    /**
     * With a Content-Length, the body is in when that much is: a request that also asks to upgrade (Java's
     * HttpClient offers h2c by default) has its body passed through raw and never "finishes".
     */
    private static boolean bodyIn(NIOInputStream in, long declared) {
        return declared >= 0 ? in.readyData() >= declared : in.isFinished();
    }

    /** Reads the body that is in, runs the method and replies; never waits. */
    private void call(Request request, Response response, String name, NIOInputStream in, long declared)
            throws IOException {
        try {
            int ready = in.readyData();
            if (ready > maxBodyBytes) {
                throw tooLarge();
            }
            if (ready < declared) {
                throw AdminException.badRequest("the body is shorter than its Content-Length");
            }
            byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : ready);
            ObjectNode body = parse(bytes);
            long start = System.nanoTime();
            Object result = api.call(name, body);
            metrics.recordAdminCall(name, System.nanoTime() - start);
            reply(request, response, 200, "application/json", json.writeValueAsBytes(result));
        } catch (AdminException e) {
            replyError(request, response, e);
        } catch (BackendUnavailableException e) {
            log.warn("admin call {} failed: {}", name, e.getMessage());
            replyError(request, response, new AdminException(503, "unavailable", e.getMessage()));
        } catch (RuntimeException e) {
            log.error("admin call {} failed", name, e);
            replyError(request, response, new AdminException(500, "internal_error",
                    "the push-server failed to handle this call"));
        }
    }

    /**
     * An admin call whose body is still on its way: the response is suspended and Grizzly calls back as the body
     * arrives, so no thread ever waits for a slow client, and the rest of the read deadline is the suspension's
     * timeout (408 when it runs out).
     */
    private final class Call implements ReadHandler, TimeoutHandler {
        private final Request request;
        private final Response response;
        private final String name;
        private final NIOInputStream in;
        private final long declared; // Content-Length, or -1 (chunked)
        private final AtomicBoolean replied = new AtomicBoolean(); // the body's arrival and the timeout race

        Call(Request request, Response response, String name, NIOInputStream in, long declared) {
            this.request = request;
            this.response = response;
            this.name = name;
            this.in = in;
            this.declared = declared;
        }

        void await(long millisLeft) {
            response.suspend(millisLeft, TimeUnit.MILLISECONDS, null, this);
            awaitMore();
        }

        private void awaitMore() {
            in.notifyAvailable(this, declared >= 0 ? (int) declared : maxBodyBytes + 1);
        }

        @Override
        public void onDataAvailable() throws IOException {
            if (bodyIn(in, declared) || in.readyData() > maxBodyBytes) { // in, or a chunked body past the limit
                finish();
            } else {
                awaitMore();
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            finish();
        }

        @Override
        public void onError(Throwable t) {
            // The codec refused the body (and answered), or the connection closed: nothing left to answer.
            replied.set(true);
        }

        @Override
        public boolean onTimeout(Response suspended) {
            if (replied.compareAndSet(false, true)) {
                log.warn("admin call {} from {}: body not in within {} ms", name, request.getRemoteAddr(),
                        deadline.timeoutMillis());
                try {
                    replyError(request, response, new AdminException(408, "request_timeout",
                            "the request did not arrive within " + deadline.timeoutMillis() + " ms"));
                } catch (IOException e) {
                    log.debug("cannot answer 408", e);
                }
                response.resume();
            }
            return false; // resumed (here or by finish): nothing left to time out
        }

        private void finish() throws IOException {
            if (replied.compareAndSet(false, true)) {
                call(request, response, name, in, declared);
                response.resume();
            }
        }
    }

    private ObjectNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw AdminException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
        } catch (NumberFormatException e) { // Jackson's word for a number past BigDecimal's range, e.g. 1E+2147483648
            throw AdminException.badRequest("body holds a number out of range");
        }
        if (node == null || !node.isObject()) {
            throw AdminException.badRequest("body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private AdminException tooLarge() {
        return new AdminException(413, "payload_too_large", "body exceeds " + maxBodyBytes + " bytes");
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Exactly the secret. MessageDigest.isEqual takes a time that depends on the length given, never on where
        // the bytes differ nor on the secret's length.
        return MessageDigest.isEqual(header.substring(7).getBytes(StandardCharsets.UTF_8), secret);
    }

    private void replyError(Request request, Response response, AdminException e) throws IOException {
        reply(request, response, e.status(), "application/json",
                json.writeValueAsBytes(ErrorBody.of(e.code(), e.getMessage())));
    }

    /**
     * Writes the reply. When the request is wholly in, the connection stays for the next one; when part of its
     * body is still to come (an error answered before reading it, a late body), the rest is not worth reading or
     * skipping: the connection closes once the reply is out.
     */
    private void reply(Request request, Response response, int status, String contentType, byte[] body)
            throws IOException {
        Connection<?> connection = request.getContext().getConnection();
        boolean whole = request.getNIOInputStream().isFinished();
        if (whole) {
            deadline.requestRead(connection);
        } else {
            response.setHeader(Header.Connection, "close");
        }
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        if (!whole) {
            response.finish();
            connection.closeSilently(); // after the reply is written
        }
    }
}
