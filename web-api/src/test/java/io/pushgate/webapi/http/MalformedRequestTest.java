package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.RawHttp;
import io.pushgate.webapi.StackTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests no well-behaved client sends, over a raw socket: each is answered with a 4xx and the contract's JSON
 * error body (not Jetty's HTML page, not an empty answer), and logs no ERROR and no stack trace.
 */
class MalformedRequestTest extends StackTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    @Test
    void aTruncatedBodyIs400WithoutAStackTraceAndItsWarningsAreRateLimited() throws Exception {
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 50; i++) {
                try (RawHttp http = RawHttp.connect(stack.api.uri())) {
                    http.send("POST /api/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"user\"");
                    http.shutdownOutput();
                    assertJsonError(http.read(ANSWER), 400, "bad_request");
                }
            }
            assertEquals(List.of(), log.errorsOrStackTraces());
            assertTrue(log.warnings() <= 2, "50 truncated bodies, " + log.warnings() + " WARN lines");
        }
    }

    @Test
    void malformedRequestsAreAnsweredWithTheJsonErrorBody() throws Exception {
        String longUri = "/api/config?q=" + "x".repeat(20_000);
        String bigHeader = "X-Big: " + "y".repeat(10 * 1024) + "\r\n";
        List<Case> cases = List.of(
                new Case("bad UTF-8 in the path", "GET /api/users/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("bad UTF-8 in the path of an unrouted method",
                        "PUT /api/users/%ff HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 400),
                new Case("raw non-UTF-8 byte in the path", "GET /api/\u00ff\u00fe HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("NUL in the path", "GET /api/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("raw NUL in the path", "GET /api/\u0000x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("a dot-dot path", "GET /api/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("an unparsable Content-Length",
                        "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
                new Case("a negative Content-Length",
                        "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
                new Case("two Content-Lengths", "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                        + "Content-Length: 2\r\n\r\n{}", 400),
                new Case("a bad chunk size", "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400),
                new Case("a header line without a colon", "GET /api/config HTTP/1.1\r\nHost: x\r\nnonsense\r\n\r\n",
                        400),
                new Case("no Host header", "GET /api/config HTTP/1.1\r\n\r\n", 400),
                new Case("a 10 KB header", "GET /api/config HTTP/1.1\r\nHost: x\r\n" + bigHeader + "\r\n", 431),
                new Case("a 20 KB URI", "GET " + longUri + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                new Case("an unknown HTTP version", "GET /api/config HTTP/7.0\r\nHost: x\r\n\r\n", 505),
                new Case("a body over 64 KB", "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                        + "\r\nContent-Length: 70000\r\n\r\n" + "{".repeat(70_000), 413));
        try (LogCapture log = new LogCapture()) {
            for (Case c : cases) {
                try (RawHttp http = RawHttp.connect(stack.api.uri())) {
                    http.send(c.request().getBytes(StandardCharsets.ISO_8859_1));
                    RawHttp.Reply answer = http.read(ANSWER);
                    assertEquals(c.status(), answer.status(), c.name() + ": " + answer);
                    assertJsonError(answer, c.status(), null);
                }
            }
            assertEquals(List.of(), log.errorsOrStackTraces());
        }
    }

    private record Case(String name, String request, int status) {
    }

    /** The answer is {@code status} with the contract's error body (and {@code code}, when given). */
    static void assertJsonError(RawHttp.Reply answer, int status, String code) {
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(String.valueOf(answer.header("content-type")).startsWith("application/json"), answer.toString());
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertTrue(error.path("code").isString() && !error.path("code").asString().isEmpty(), answer.toString());
        assertTrue(error.path("message").isString(), answer.toString());
        if (code != null) {
            assertEquals(code, error.path("code").asString(), answer.toString());
        }
    }
}
