package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.WsTestClient;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each result record holds every field the real push-server sends, no more and no less: a field added on the
 * server (as {@code nodes} once was) fails this test until the record has it.
 */
class ResultRecordsTest extends RealServerTest {
    /** Record components whose names are not the camelCase of their JSON field. */
    static final Map<String, String> RENAMED = Map.of("uptimeSeconds", "uptime_s");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void statsHasEveryFieldOfTheServersAnswer() throws IOException {
        assertEquals(serverFields("stats", Map.of()), recordFields(Stats.class));
        Stats stats = push.stats();
        assertEquals(1, stats.nodes(), "a single node");
        assertTrue(stats.uptimeSeconds() >= 0);
    }

    @Test
    void clientInfoHasEveryFieldOfTheServersAnswer() throws IOException {
        try (WsTestClient page = connect()) {
            push.bindUid(page.clientId(), "42");
            assertEquals(serverFields("get_client_info", Map.of("client_id", page.clientId())),
                    recordFields(ClientInfo.class));
            assertEquals(serverFields("get_client_info", Map.of("client_id", "gone.AAAAAAAAAAAAAAAAAAAAAA")),
                    recordFields(ClientInfo.class), "an offline connection's answer has the same fields");
        }
    }

    /** The field names of a method's answer, asked over plain HTTP. */
    private Set<String> serverFields(String method, Map<String, Object> body) throws IOException {
        Request request = new Request.Builder()
                .url(server.adminUri().resolve("/v1/" + method).toString())
                .header("Authorization", "Bearer " + SECRET)
                .post(RequestBody.create(JSON.writeValueAsBytes(body), MediaType.get("application/json")))
                .build();
        try (Response response = sockets.newCall(request).execute()) {
            assertEquals(200, response.code());
            JsonNode answer = JSON.readTree(response.body().string());
            return new TreeSet<>(answer.propertyNames());
        }
    }

    private static Set<String> recordFields(Class<? extends Record> type) {
        Set<String> fields = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            fields.add(RENAMED.getOrDefault(component.getName(), snakeCase(component.getName())));
        }
        return fields;
    }

    private static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder();
        for (char c : name.toCharArray()) {
            snake.append(Character.isUpperCase(c) ? "_" + Character.toLowerCase(c) : String.valueOf(c));
        }
        return snake.toString();
    }
}
