package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.RawHttp;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Requests no HTTP client would send, on both listeners: each gets a JSON error with a fitting 4xx status. */
class MalformedHttpTest {
    static final String SECRET = "malformed-http-it-secret";
    static final Duration ANSWER = Duration.ofSeconds(2);
    static PushServer server;

    /**
     * One malformed request and the status it must get; {@code %s} is replaced by a valid path and {@code %a} by
     * the admin secret's header. A body case is malformed only in its body, which only the admin port reads.
     */
    record Case(String name, String request, int status, boolean body) {
        Case(String name, String request, int status) {
            this(name, request, status, false);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("garbage request line", "\u0001\u0002 %s HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("unknown HTTP version", "GET %s HTTP/7.3\r\nHost: x\r\n\r\n", 400),
            new Case("HTTP/1.1 without Host", "GET %s HTTP/1.1\r\n\r\n", 400),
            new Case("NUL in the path", "GET /he\0alth HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("%-encoded NUL in the path", "GET /health%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("bad %-escape in the path", "GET /health%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("%-encoded bad UTF-8 in the path", "GET /health%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("raw bad UTF-8 in the path", "GET /health\u00c3\u0028 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
            new Case("request line over the limit", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            new Case("a 10 KB header", "GET %s HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n", 431),
            new Case("150 headers", "GET %s HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(150) + "\r\n", 431),
            new Case("negative Content-Length", "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}", 400),
            new Case("Content-Length not a number",
                    "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}", 400),
            new Case("two different Content-Lengths",
                    "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", 400),
            new Case("TRACE", "TRACE %s HTTP/1.1\r\nHost: x\r\n\r\n", 405),
            new Case("an expectation other than 100-continue",
                    "POST %s HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n", 417),
            new Case("chunk size not hex",
                    "POST %s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
            new Case("chunk size past 2^64",
                    "POST %s HTTP/1.1\r\nHost: x\r\n%aTransfer-Encoding: chunked\r\n\r\n"
                            + "fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
                    400, true));

    @BeforeAll
    static void start() {
        server = PushServer.start(ServerConfig.forTesting(SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedRequestsOnTheAdminPortGetJsonErrors() throws Exception {
        assertEveryCase(server.adminUri(), "/v1/stats", "Authorization: Bearer " + SECRET + "\r\n");
    }

    @Test
    void malformedRequestsOnTheWebSocketPortGetJsonErrors() throws Exception {
        assertEveryCase(URI.create("http://127.0.0.1:" + server.wsUri().getPort()), "/", null);
    }

    private static void assertEveryCase(URI base, String path, String authorization) throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Case c : CASES) {
            if (c.body() && authorization == null) {
                continue;
            }
            String outcome;
            try {
                String request = c.request().replace("%s", path)
                        .replace("%a", authorization == null ? "" : authorization);
                RawHttp.Reply reply = RawHttp.exchange(base, request, ANSWER);
                JsonNode body = reply.body().isEmpty() ? null : AdminTestClient.JSON.readTree(reply.body());
                String code = body == null ? null : body.path("error").path("code").asString(null);
                outcome = reply.status() + " " + code + " " + reply.headers();
                if (reply.status() == c.status() && JsonHttpErrors.code(c.status()).equals(code)
                        && "application/json".equals(reply.header("content-type"))) {
                    outcome = null;
                }
            } catch (Exception e) {
                outcome = e.toString();
            }
            if (outcome != null) {
                wrong.add(c.name() + ": expected " + c.status() + " JSON, got " + outcome);
            }
            RawHttp.Reply health = RawHttp.exchange(base, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", ANSWER);
            assertEquals(200, health.status(), "still answering after: " + c.name());
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
