package io.pushgate.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw HTTP calls to the admin API, for tests that check the wire format itself. */
public final class AdminTestClient {
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** A status code and the parsed JSON body. */
    public record Reply(int status, JsonNode body) {
        public JsonNode get(String field) {
            return body.get(field);
        }

        public String errorCode() {
            return body.path("error").path("code").asString(null);
        }
    }

    private final OkHttpClient http;
    private final URI admin;
    private final String secret;

    public AdminTestClient(OkHttpClient http, URI admin, String secret) {
        this.http = http;
        this.admin = admin;
        this.secret = secret;
    }

    /** Calls {@code method} with a body built from alternating keys and values. */
    public Reply call(String method, Object... keysAndValues) {
        java.util.LinkedHashMap<String, Object> body = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return callRaw(method, JSON.writeValueAsString(body), secret);
    }

    public Reply call(String method, Map<String, ?> body) {
        return callRaw(method, JSON.writeValueAsString(body), secret);
    }

    /** Posts {@code body} as it is, with {@code bearer} as the secret (null: no Authorization header). */
    public Reply callRaw(String method, String body, String bearer) {
        Request.Builder request = new Request.Builder().url(admin + "/v1/" + method)
                .post(RequestBody.create(body, JSON_TYPE));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return execute(request.build());
    }

    public Reply get(String path, String bearer) {
        Request.Builder request = new Request.Builder().url(admin + path);
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return execute(request.build());
    }

    /** GET returning the raw text (for /metrics). */
    public String getText(String path) {
        Request request = new Request.Builder().url(admin + path).header("Authorization", "Bearer " + secret).build();
        try (Response response = http.newCall(request).execute()) {
            return response.body().string();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reply execute(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            JsonNode node = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
            return new Reply(response.code(), node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
