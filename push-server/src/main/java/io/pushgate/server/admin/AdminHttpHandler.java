package io.pushgate.server.admin;

import io.pushgate.server.ErrorBody;
import io.pushgate.server.metrics.ServerMetrics;
import io.pushgate.server.presence.PresenceUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP for the admin API: {@code POST /v1/<method>} behind the bearer secret, {@code GET /metrics} behind it too,
 * {@code GET /health} open. Every error is the contract's JSON body.
 */
final class AdminHttpHandler extends HttpHandler {
    private static final Logger log = LoggerFactory.getLogger(AdminHttpHandler.class);
    private static final String PREFIX = "/v1/";

    private final AdminApi api;
    private final ServerMetrics metrics;
    private final JsonMapper json;
    private final byte[] secretDigest;
    private final int maxBodyBytes;
    private final byte[] healthBody;

    AdminHttpHandler(AdminApi api, ServerMetrics metrics, JsonMapper json, String secret, int maxBodyBytes,
                     String nodeId) {
        this.api = api;
        this.metrics = metrics;
        this.json = json;
        this.secretDigest = sha256(secret.getBytes(StandardCharsets.UTF_8));
        this.maxBodyBytes = maxBodyBytes;
        this.healthBody = json.writeValueAsBytes(Map.of("status", "ok", "node_id", nodeId));
    }

    @Override
    public void service(Request request, Response response) throws IOException {
        String path = request.getRequestURI();
        try {
            if ("/health".equals(path)) {
                write(response, 200, "application/json", healthBody);
                return;
            }
            if (!authorized(request.getHeader("Authorization"))) {
                throw new AdminException(401, "unauthorized", "missing or wrong bearer secret");
            }
            if ("/metrics".equals(path) && request.getMethod() == Method.GET) {
                write(response, 200, "text/plain; version=0.0.4; charset=utf-8",
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
            ObjectNode body = readBody(request);
            long start = System.nanoTime();
            Object result = api.call(name, body);
            metrics.recordAdminCall(name, System.nanoTime() - start);
            write(response, 200, "application/json", json.writeValueAsBytes(result));
        } catch (AdminException e) {
            writeError(response, e.status(), e.code(), e.getMessage());
        } catch (PresenceUnavailableException e) {
            log.warn("admin call {} failed: {}", path, e.getMessage());
            writeError(response, 503, "unavailable", e.getMessage());
        } catch (RuntimeException e) {
            log.error("admin call {} failed", path, e);
            writeError(response, 500, "internal_error", "the push-server failed to handle this call");
        }
    }

    private ObjectNode readBody(Request request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        // With a Content-Length, read exactly that much: a request that also asks to upgrade (Java's HttpClient
        // offers h2c by default) has its body passed through raw, and reading on would wait for more.
        byte[] bytes = request.getInputStream().readNBytes(declared >= 0 ? (int) declared : maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            throw tooLarge();
        }
        if (bytes.length == 0) {
            return json.createObjectNode();
        }
        JsonNode node;
        try {
            node = json.readTree(bytes);
        } catch (JacksonException e) {
            throw AdminException.badRequest("body is not valid JSON: " + e.getOriginalMessage());
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
        byte[] given = sha256(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(given, secretDigest); // constant time over equal-length digests
    }

    private void writeError(Response response, int status, String code, String message) throws IOException {
        write(response, status, "application/json", json.writeValueAsBytes(ErrorBody.of(code, message)));
    }

    private static void write(Response response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
