package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls one node's admin API the way push-client-lib does: POST /v1/method with a JSON body. */
final class AdminClient {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Reply(int status, JsonNode body) {
    }

    private final URI base;
    private final String secret;

    AdminClient(URI base, String secret) {
        this.base = base;
        this.secret = secret;
    }

    Reply call(String method, Map<String, ?> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/" + method))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }

    /** The status of an authorized GET of {@code path}. */
    int get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + secret).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Calls and asserts 200. */
    JsonNode ok(String method, Map<String, ?> body) throws Exception {
        Reply reply = call(method, body);
        assertEquals(200, reply.status(), method + " -> " + reply.body());
        return reply.body();
    }

    JsonNode ok(String method) throws Exception {
        return ok(method, Map.of());
    }
}
