package io.pushgate.webapi.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * TEMPORARY: calls the push-server's admin API directly until push-client-lib lands on main; then
 * {@code PushClientChannel} replaces this class.
 */
public final class AdminApiChannel implements PushChannel {
    private final HttpClient http;
    private final String adminUrl;
    private final String secret;
    private final ObjectMapper json;
    private final Duration timeout;

    public AdminApiChannel(String adminUrl, String secret, ObjectMapper json, Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.adminUrl = adminUrl;
        this.secret = secret;
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public int[] send(List<Push> pushes) {
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Push p : pushes) {
            ops.add(p.uid() != null
                    ? Map.of("method", "send_to_uid", "uid", p.uid(), "data", p.frame())
                    : Map.of("method", "send_to_group", "group", p.group(), "data", p.frame(),
                            "exclude_client_ids", p.excludeClientIds()));
        }
        JsonNode results = call("batch", Map.of("ops", ops)).path("results");
        int[] delivered = new int[pushes.size()];
        for (int i = 0; i < delivered.length; i++) {
            delivered[i] = results.path(i).path("delivered").asInt();
        }
        return delivered;
    }

    @Override
    public void bindUid(String clientId, String uid) {
        call("bind_uid", Map.of("client_id", clientId, "uid", uid));
    }

    @Override
    public void joinGroup(String clientId, String group) {
        call("join_group", Map.of("client_id", clientId, "group", group));
    }

    @Override
    public void leaveGroup(String clientId, String group) {
        call("leave_group", Map.of("client_id", clientId, "group", group));
    }

    @Override
    public List<String> clientIdsOfUid(String uid) {
        return strings(call("get_client_ids_by_uid", Map.of("uid", uid)).path("client_ids"));
    }

    @Override
    public List<String> onlineUids() {
        return strings(call("get_all_uids", Map.of()).path("uids"));
    }

    @Override
    public Map<String, Integer> groups() {
        Map<String, Integer> groups = new LinkedHashMap<>();
        call("get_all_groups", Map.of()).path("groups").properties()
                .forEach(e -> groups.put(e.getKey(), e.getValue().asInt()));
        return groups;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> stats() {
        return json.convertValue(call("stats", Map.of()), Map.class);
    }

    @Override
    public void close() {
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private JsonNode call(String method, Map<String, ?> body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(adminUrl + "/v1/" + method))
                .timeout(timeout)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PushUnavailableException("push-server unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushUnavailableException("interrupted", e);
        }
        JsonNode node = json.readTree(response.body());
        if (response.statusCode() == 404 && "client_not_found".equals(node.path("error").path("code").asString())) {
            throw new ClientNotConnectedException(node.path("error").path("message").asString());
        }
        if (response.statusCode() != 200) {
            throw new PushUnavailableException("push-server answered " + response.statusCode() + " to " + method
                    + ": " + node, null);
        }
        return node;
    }
}
