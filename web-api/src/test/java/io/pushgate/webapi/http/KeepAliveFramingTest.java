package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.RawHttp;
import io.pushgate.webapi.StackTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Responses on a keep-alive connection stay in step with its requests when bodies are read before the handler
 * (see {@link BufferedBodyHandler}): bodies that arrive after their headers, with the next request right behind
 * them, and chunked bodies over the limit, on several connections at once. Each reply is read exactly (status line,
 * headers, Content-Length body) and must be the one its request gets.
 */
class KeepAliveFramingTest extends StackTest {
    private static final int CONNECTIONS = 6;
    private static final Duration RUN = Duration.ofSeconds(3);

    @Test
    void everyRequestOnAKeepAliveConnectionGetsExactlyItsOwnResponse() throws Exception {
        long deadline = System.nanoTime() + RUN.toNanos();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try (LogCapture log = new LogCapture()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int id = c;
                done.add(pool.submit(() -> exchanges(id, deadline, failures)));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
            }
            assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())), failures.size() + " failures");
            assertEquals(List.of(), log.errorsOrStackTraces().stream().limit(5).toList());
            assertTrue(total >= CONNECTIONS * 20, "too few exchanges: " + total);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Requests on one connection until the deadline; a new connection only after one Jetty said it would close. */
    private static int exchanges(int id, long deadline, List<String> failures) throws IOException {
        String body = "{\"uid\":1,\"note\":\"" + "n".repeat(400) + "\"}";
        String split = "POST /api/groups/-1/invites HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 200);
        String rest = body.substring(200);
        String oversized = "x".repeat(70_000);
        String chunked = "POST /api/groups/-1/invites HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(oversized.length()) + "\r\n" + oversized
                + "\r\n0\r\n\r\n";
        String config = "GET /api/config HTTP/1.1\r\nHost: x\r\n\r\n";
        int n = 0;
        RawHttp raw = RawHttp.connect(stack.api.uri());
        try {
            while (System.nanoTime() < deadline) {
                n++;
                String what = "#" + id + "/" + n;
                if (n % 4 == 0) {
                    raw.send(chunked + config);
                } else {
                    raw.send(split);
                    if (n % 2 == 0) {
                        Thread.yield(); // let the server wait for the rest of the body, sometimes
                    }
                    raw.send(rest + config);
                }
                RawHttp.Reply invite = raw.read(Duration.ofSeconds(5));
                if (invite.status() != 401 || !invite.body().contains("\"unauthorized\"")) {
                    failures.add(what + " invite: " + invite);
                }
                if ("close".equalsIgnoreCase(invite.header("connection"))) {
                    raw.close();
                    raw = RawHttp.connect(stack.api.uri());
                    continue;
                }
                RawHttp.Reply page = raw.read(Duration.ofSeconds(5));
                if (page.status() != 200 || !page.body().startsWith("{\"ws_url\"")) {
                    failures.add(what + " config: " + page);
                }
            }
        } catch (IOException e) {
            failures.add("#" + id + "/" + n + ": " + e);
        } finally {
            raw.close();
        }
        return n;
    }
}
