package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.RawHttp;
import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Generated requests against every route, logged in and not: mutated and random JSON bodies (wrong types, huge
 * numbers, deep nesting, long strings, lone surrogates, invalid UTF-8), wrong content types and methods, odd path
 * parameters and query strings; and over raw sockets, malformed HTTP. It fails on any 5xx (but 505 for an HTTP
 * version that does not exist), on any error answer
 * whose body is not the contract's JSON error, and on any ERROR log line or stack trace.
 *
 * <p>Seeded: {@code -Dfuzz.seed=N} replays a run (each route draws from its own generator, seeded from N and
 * the route). The whole test is bounded by {@link #BUDGET}: it stops generating when that has passed, and says
 * how far it got.
 */
class FuzzTest extends StackTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261201L);
    private static final int PER_ROUTE = 1_500;
    private static final int RAW_REQUESTS = 1_000;
    private static final Duration BUDGET = Duration.ofSeconds(50);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
        "application/json; charset=latin1", "application/problem+json", "text/plain", "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "json", ";",
        "application/json;;;", "*/*", "\u00ff/\u00fe"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};
    private static final String[] FIELDS = {"username", "password", "to_uid", "group_id", "type", "content",
        "client_msg_id", "from_desk", "peer", "up_to_id", "desk", "name", "client_id"};

    @Test
    void noGeneratedRequestGetsA5xxOrAnErrorThatIsNotTheJsonBody() throws Exception {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        List<String> tokens = new ArrayList<>(List.of("", "Bearer nonsense", "Bearer "));
        for (String role : new String[] {"buyer", "support", "admin"}) {
            tokens.add("Bearer " + stack.newUser(role).token);
        }
        OkHttpClient http = stack.http.newBuilder().callTimeout(Duration.ofSeconds(10)).build();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long[] made = new long[2];
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (LogCapture log = new LogCapture()) {
            List<Future<Long>> done = new ArrayList<>();
            for (String route : stack.api.routes()) {
                Random random = new Random(SEED ^ route.hashCode());
                done.add(pool.submit(() -> fuzzRoute(http, route, random, tokens, deadline, failures)));
            }
            done.add(pool.submit(() -> fuzzRawHttp(new Random(SEED), deadline, failures)));
            for (int i = 0; i < done.size(); i++) {
                made[i == done.size() - 1 ? 1 : 0] += done.get(i).get(BUDGET.toSeconds() + 30, TimeUnit.SECONDS);
            }
            System.out.printf("fuzz seed %d: %d API requests over %d routes, %d raw HTTP requests%n", SEED,
                    made[0], stack.api.routes().size(), made[1]);
            assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                    failures.size() + " failures (seed " + SEED + ")");
            assertEquals(List.of(), log.errorsOrStackTraces().stream().limit(20).toList(), "seed " + SEED);
            assertTrue(made[0] >= stack.api.routes().size() * 200L, "too few requests made: " + made[0]);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long fuzzRoute(OkHttpClient http, String route, Random random, List<String> tokens,
                                  long deadline, List<String> failures) {
        String method = route.substring(0, route.indexOf(' '));
        String template = route.substring(route.indexOf(' ') + 1);
        long made = 0;
        for (; made < PER_ROUTE && System.nanoTime() < deadline; made++) {
            String path = template.replaceAll("\\{[^}]+}", pathValue(random));
            String url = stack.api.uri() + path + (random.nextInt(3) == 0 ? "" : "?" + queryString(random));
            HttpUrl parsed = HttpUrl.parse(url);
            if (parsed == null) {
                continue;
            }
            String verb = random.nextInt(10) == 0 ? METHODS[random.nextInt(METHODS.length)] : method;
            Request.Builder request = new Request.Builder().url(parsed);
            String token = tokens.get(random.nextInt(tokens.size()));
            if (!token.isEmpty()) {
                request.header("Authorization", token);
            }
            RequestBody body = null;
            if (!verb.equals("GET") && !verb.equals("HEAD")) {
                MediaType type = random.nextInt(5) == 0
                        ? MediaType.parse(CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)])
                        : MediaType.get("application/json");
                body = RequestBody.create(random.nextInt(10) == 0 ? new byte[0] : jsonBody(random), type);
            }
            request.method(verb, verb.equals("OPTIONS") && body == null ? null : body);
            String what = verb + " " + parsed.encodedPath() + "?" + parsed.encodedQuery();
            try (Response response = http.newCall(request.build()).execute()) {
                check(what, response.code(), response.header("Content-Type", ""), response.body().bytes(),
                        verb.equals("HEAD"), failures);
            } catch (IOException e) {
                failures.add(what + ": " + e);
            }
        }
        return made;
    }

    /** Checks one answer: no 5xx, and an error is the contract's JSON body. */
    private static void check(String what, int status, String contentType, byte[] body, boolean head,
                              List<String> failures) {
        if (status >= 500 && status != 505) { // 505: an HTTP version that does not exist, rightly refused
            failures.add(what + " -> " + status + " " + new String(body, StandardCharsets.UTF_8));
        } else if (status >= 400 && !head && !isErrorBody(contentType, body)) {
            failures.add(what + " -> " + status + " not the JSON error body: " + contentType + " "
                    + new String(body, StandardCharsets.UTF_8));
        }
    }

    private static boolean isErrorBody(String contentType, byte[] body) {
        if (!contentType.startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("code").isString() && !error.path("code").asString().isEmpty()
                    && error.path("message").isString();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String pathValue(Random random) {
        String[] values = {"1", "2", "0", "-1", "abc", "1.5", "99999999999999999999", "9223372036854775807",
            "%00", "%ff", "%2F", "%C3%BC", "..", "%20", "1e3", "0x10", "x".repeat(300)};
        return values[random.nextInt(values.length)].replace("$", "\\$");
    }

    private static String queryString(Random random) {
        String[] keys = {"peer", "before", "after", "limit", "ids", "desk", "group_id", "q", ""};
        String[] values = {"1", "0", "-5", "abc", "", "true", "false", "101", "1,2,3", ",,,", "%ff", "%00",
            "1e999999999", "99999999999999999999999", "%zz", "a=b", "%", "1," + "9".repeat(50)};
        StringBuilder query = new StringBuilder();
        for (int i = random.nextInt(4); i >= 0; i--) {
            query.append(query.length() > 0 ? "&" : "").append(keys[random.nextInt(keys.length)]).append('=')
                    .append(values[random.nextInt(values.length)]);
        }
        return query.toString();
    }

    /** A JSON-ish body: a plausible object with mutated values, or plain garbage. */
    private static byte[] jsonBody(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(8)) {
            case 0 -> { // random bytes
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                out.writeBytes(bytes);
            }
            case 1 -> out.writeBytes(("[".repeat(2_000 + random.nextInt(5_000)) + "]".repeat(random.nextInt(3)))
                    .getBytes(StandardCharsets.UTF_8));
            case 2 -> out.writeBytes(("{\"a\":".repeat(1_000 + random.nextInt(2_000)) + "1")
                    .getBytes(StandardCharsets.UTF_8));
            default -> {
                StringBuilder json = new StringBuilder("{");
                for (int i = random.nextInt(6); i >= 0; i--) {
                    json.append(json.length() > 1 ? "," : "").append('"')
                            .append(FIELDS[random.nextInt(FIELDS.length)]).append("\":").append(jsonValue(random));
                }
                json.append('}');
                byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
                if (random.nextInt(6) == 0) { // truncated
                    bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                }
                if (random.nextInt(8) == 0 && bytes.length > 0) { // a byte that is not UTF-8
                    bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80));
                }
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static String jsonValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> "1e999999999";
            case 1 -> "-1e999999999";
            case 2 -> "123456789012345678901234567890";
            case 3 -> "-0";
            case 4 -> "1.5e-400";
            case 5 -> "null";
            case 6 -> "true";
            case 7 -> "[1,\"a\",{}]";
            case 8 -> "{\"x\":{\"y\":[]}}";
            case 9 -> "\"" + "long".repeat(random.nextInt(20_000)) + "\"";
            case 10 -> "\"\\ud800\"";
            case 11 -> "\"\\u0000nul\"";
            case 12 -> "\"text\"";
            case 13 -> "\"image\"";
            case 14 -> Long.toString(random.nextInt(20) - 5);
            default -> "\"" + (char) ('a' + random.nextInt(26)) + "\\\"\"";
        };
    }

    /** Malformed HTTP over raw sockets: each must be answered with a JSON error, or a 2xx-4xx that is well-formed. */
    private static long fuzzRawHttp(Random random, long deadline, List<String> failures) {
        String[] methods = {"GET", "POST", "G\u0000T", "PO ST", "", "get", "FOO", "\u00ff\u00fe"};
        String[] paths = {"/api/config", "/api/login", "/api/messages", "/%", "/%ff%fe", "/\u0000", "/api/../..",
            "*", "http://evil/api/me", "/api/users?ids=" + "1,".repeat(50), "/" + "a".repeat(9_000), "//api//me"};
        String[] versions = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 extra", "HTTP/9", "", "HTTP/1.1\u0000"};
        String[] headers = {"Host: x", "Content-Length: 5", "Content-Length: -3", "Content-Length: 99999999999999",
            "Content-Length: 2, 3", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip", "Content-Type: ;",
            "Content-Type: application/json", ": novalue", "No-Colon", "X-Nul: a\u0000b", " Folded: line",
            "X-Big: " + "b".repeat(9_000), "Expect: 100-continue", "Connection: close",
            "Authorization: Bearer \u00ff", "Cookie: pushgate_session=%ff"};
        long made = 0;
        for (; made < RAW_REQUESTS && System.nanoTime() < deadline; made++) {
            StringBuilder request = new StringBuilder();
            request.append(methods[random.nextInt(methods.length)]).append(' ')
                    .append(paths[random.nextInt(paths.length)]).append(' ')
                    .append(versions[random.nextInt(versions.length)]).append("\r\n");
            if (random.nextInt(6) != 0) {
                request.append("Host: localhost\r\n");
            }
            for (int i = random.nextInt(4); i > 0; i--) {
                request.append(headers[random.nextInt(headers.length)]).append("\r\n");
            }
            request.append("\r\n");
            if (random.nextBoolean()) {
                request.append("{\"username\":\"alice\"}".substring(0, random.nextInt(21)));
            }
            String what = "raw " + request.toString().replace("\r\n", "\\r\\n").replace("\u0000", "\\0");
            String text = what.length() > 300 ? what.substring(0, 300) + "…" : what;
            try (RawHttp raw = RawHttp.connect(stack.api.uri())) {
                raw.send(request.toString().getBytes(StandardCharsets.ISO_8859_1));
                raw.shutdownOutput();
                RawHttp.Reply answer = raw.read(Duration.ofSeconds(10)); // closing without one throws
                check(text, answer.status(), String.valueOf(answer.header("content-type")),
                        answer.body().getBytes(StandardCharsets.UTF_8), false, failures);
            } catch (IOException e) {
                failures.add(text + ": " + e);
            }
        }
        return made;
    }
}
