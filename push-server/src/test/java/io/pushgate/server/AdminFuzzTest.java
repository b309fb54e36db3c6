package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.RawHttp;
import io.pushgate.server.testing.WsTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Generated requests against the admin API (paths, methods, headers, bodies), from a seeded Random so a failure
 * reproduces (the seed is printed; set -Dfuzz.seed to replay it): no 5xx, every error the contract's JSON body,
 * and the server keeps answering.
 */
class AdminFuzzTest {
    static final String SECRET = "admin-fuzz-it-secret";
    static final int REQUESTS = 3000;
    static final Duration TIME_BOX = Duration.ofSeconds(20);
    static final List<String> FIELDS = List.of("client_id", "client_ids", "uid", "uids", "group", "groups", "data",
            "session", "ops", "exclude_client_ids", "method");

    final long seed = Long.getLong("fuzz.seed", System.nanoTime());
    final Random random = new Random(seed);
    static final String[] METHODS = {"bind_uid", "unbind_uid", "join_group", "leave_group", "ungroup",
        "send_to_client", "send_to_uid", "send_to_group", "send_to_all", "close_client", "is_online", "is_uid_online",
        "get_client_ids_by_uid", "get_uid_by_client_id", "get_client_ids_by_group", "get_uids_by_group",
        "get_all_uids", "get_all_groups", "get_client_count", "get_uid_count", "set_session", "update_session",
        "get_session", "get_client_info", "stats", "batch"};
    List<String> clientIds = new ArrayList<>();

    @Test
    void generatedRequestsNeverGet5xxAndEveryErrorIsJson() throws Exception {
        OkHttpClient http = new OkHttpClient();
        try (PushServer server = PushServer.start(
                ServerConfig.forTesting(SECRET, Map.of("PUSH_ADMIN_READ_TIMEOUT_MS", "1000")));
             WsTestClient a = WsTestClient.connect(http, server.wsUri());
             WsTestClient b = WsTestClient.connect(http, server.wsUri())) {
            clientIds = List.of(a.clientId(), b.clientId(), "nobody.x");
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> wrong = new ArrayList<>();
            long deadline = System.nanoTime() + TIME_BOX.toNanos();
            int sent = 0;
            for (; sent < REQUESTS && System.nanoTime() < deadline && wrong.size() < 10; sent++) {
                byte[] request = request();
                String problem;
                try {
                    RawHttp.Reply reply = RawHttp.exchange(server.adminUri(), request, Duration.ofSeconds(3));
                    statuses.merge(reply.status(), 1, Integer::sum);
                    problem = problem(reply, request[0] == 'H');
                } catch (IOException e) {
                    problem = "no answer: " + e;
                }
                if (problem != null) {
                    wrong.add(problem + "\n  request: " + printable(request));
                }
            }
            System.out.printf("fuzz seed %d: %d requests, statuses %s%n", seed, sent, statuses);
            assertTrue(wrong.isEmpty(), "seed " + seed + ":\n" + String.join("\n", wrong));
            assertTrue(sent >= 1000, "only " + sent + " requests in " + TIME_BOX);
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), SECRET);
            assertEquals(200, admin.call("stats").status());
            assertEquals(200, admin.get("/health", null).status());
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** Null when the reply keeps the contract, else what is wrong with it. */
    private static String problem(RawHttp.Reply reply, boolean head) {
        if (reply.status() >= 500) {
            return "status " + reply.status() + ": " + reply.body();
        }
        if (head) {
            return null; // no body to check
        }
        String type = reply.header("content-type");
        if (type != null && type.startsWith("text/plain") && reply.status() == 200) {
            return null; // /metrics
        }
        if (!"application/json".equals(type)) {
            return "status " + reply.status() + " with content-type " + type;
        }
        JsonNode body;
        try {
            body = AdminTestClient.JSON.readTree(reply.body());
        } catch (RuntimeException e) {
            return "status " + reply.status() + " with a body that is not JSON: " + reply.body();
        }
        if (reply.status() >= 400 && !(body.path("error").path("code").isString()
                && body.path("error").path("message").isString())) {
            return "status " + reply.status() + " without the error body: " + reply.body();
        }
        return reply.status() == 200 && !body.isObject() ? "200 without a JSON object" : null;
    }

    private byte[] request() {
        byte[] body = body();
        StringBuilder head = new StringBuilder();
        head.append(pick("POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "HEAD", "OPTIONS", "P@ST"))
                .append(' ').append(path()).append(' ').append(pick("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0",
                        "HTTP/2.0", "HTTP/1.x")).append("\r\n");
        if (random.nextInt(10) > 0) {
            head.append("Host: x\r\n");
        }
        int auth = random.nextInt(10);
        if (auth < 7) {
            head.append("Authorization: Bearer ").append(SECRET).append("\r\n");
        } else if (auth < 9) {
            head.append("Authorization: ").append(pick("Bearer", "Basic " + SECRET, "Bearer  " + SECRET,
                    "Bearer " + SECRET.toUpperCase(), "bearer " + SECRET)).append("\r\n");
        }
        if (random.nextBoolean()) {
            head.append("Content-Type: ").append(pick("application/json", "text/plain", "a/b; charset=nope"))
                    .append("\r\n");
        }
        if (random.nextInt(8) == 0) {
            head.append("X-").append(random.nextInt(100)).append(": ")
                    .append("v".repeat(random.nextInt(10) == 0 ? 9000 : random.nextInt(100))).append("\r\n");
        }
        boolean chunked = random.nextInt(8) == 0;
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else {
            int length = random.nextInt(12);
            if (length < 8) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (length < 10) { // shorter than the body: the rest reads as a next request
                head.append("Content-Length: ").append(random.nextInt(body.length + 1)).append("\r\n");
            } else if (length < 11) {
                head.append("Content-Length: ").append(pick("-1", "abc", "99999999999999999999", " ", "1,2"))
                        .append("\r\n");
            }
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (chunked) {
            int split = random.nextInt(body.length + 1);
            chunk(out, body, 0, split);
            chunk(out, body, split, body.length);
            // no last chunk: a lie answered 408 at the deadline (with no chunk at all the request is not yet
            // handed on, and is dropped unanswered like half-sent headers: not generated)
            String last = body.length == 0 ? "0\r\n\r\n" : pick("0\r\n\r\n", "0\r\n\r\n", "zz\r\n\r\n", "");
            out.writeBytes(last.getBytes(StandardCharsets.US_ASCII));
        } else {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private void chunk(ByteArrayOutputStream out, byte[] body, int from, int to) {
        if (to > from) {
            out.writeBytes((Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, from, to - from);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private String path() {
        return switch (random.nextInt(12)) {
            case 0 -> "/health";
            case 1 -> "/metrics";
            case 2 -> "/v1/" + bytes(random.nextInt(20));
            case 3 -> "/v1/%" + Integer.toHexString(random.nextInt(256)) + pick("", "%", "%zz", "%c3%28");
            case 4 -> "/" + "p".repeat(random.nextInt(10) == 0 ? 9000 : random.nextInt(50));
            case 5 -> "/v1/" + pick(METHODS) + "?x=" + bytes(5);
            default -> "/v1/" + pick(METHODS);
        };
    }

    /** Random bytes for a path: anything but space, CR and LF, which end the request line's parts. */
    private String bytes(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            char c = (char) random.nextInt(256);
            if (c != ' ' && c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private byte[] body() {
        return switch (random.nextInt(10)) {
            case 0 -> new byte[0];
            case 1 -> bytes(random.nextInt(40)).getBytes(StandardCharsets.ISO_8859_1);
            case 2 -> {
                String json = object(0);
                yield json.substring(0, random.nextInt(json.length() + 1)).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> ("[".repeat(3000) + "]".repeat(3000)).getBytes(StandardCharsets.US_ASCII);
            default -> object(0).getBytes(StandardCharsets.UTF_8);
        };
    }

    private String object(int depth) {
        StringBuilder sb = new StringBuilder("{");
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String name = random.nextInt(6) == 0 ? "f" + random.nextInt(3) : pick(FIELDS.toArray(String[]::new));
            sb.append('"').append(name).append("\":").append(value(depth + 1, name));
        }
        return sb.append('}').toString();
    }

    private String value(int depth, String field) {
        int kind = random.nextInt(depth > 4 ? 6 : 9);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> pick("true", "false");
            case 2 -> number();
            case 3, 4 -> string(field);
            case 5 -> "\"" + "s".repeat(random.nextInt(10) == 0 ? 300 : random.nextInt(20)) + "\"";
            case 6, 7 -> {
                StringBuilder sb = new StringBuilder("[");
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(random.nextBoolean() && "ops".equals(field)
                            ? "{\"method\":\"" + pick(METHODS) + "\"," + object(depth + 1).substring(1)
                            : value(depth + 1, field));
                }
                yield sb.append(']').toString();
            }
            default -> object(depth);
        };
    }

    private String string(String field) {
        if (field.startsWith("client_id") || field.startsWith("exclude")) {
            return "\"" + pick(clientIds.toArray(String[]::new)) + "\"";
        }
        if ("method".equals(field)) {
            return "\"" + pick(METHODS) + "\"";
        }
        return "\"" + pick("u1", "g1", "\\u0000", "\\ud800", "é€😀", "\\\"", "") + "\"";
    }

    private String number() {
        return pick("0", "-0", "42", "1.50", "-1e-999999999", "1e999999999", "1e100000000", "1.5e3", "1".repeat(300),
                "9".repeat(1200), "1e", "01", "NaN", "-", "1E+2147483648", String.valueOf(random.nextLong()),
                random.nextInt(1000) + "e" + (random.nextInt(2_000_000_000) - 1_000_000_000));
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String printable(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        text = text.length() > 400 ? text.substring(0, 400) + "…(" + text.length() + " bytes)" : text;
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
