package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.RawHttp;
import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Slow and stalled clients (slowloris) with the default settings (5 s read timeout, 256 bytes/s minimum body
 * rate): hundreds of sockets trickle requests while a bystander's requests, anonymous and logged in, must each be
 * answered within a second, and the tricklers must be cut off.
 */
@StackTest.Settings({"RATE_LIMIT_PER_SECOND=100000", "RATE_LIMIT_BURST=100000"}) // the bystander sends many messages
class SlowClientsTest extends StackTest {
    private static final int TRICKLERS = 300;
    private static final long BYSTANDER_BOUND_MS = 1000;

    @Test
    void aBodyTrickledAByteASecondIsCutOffLongBeforeTheReadTimeout() throws Exception {
        String body = "{\"username\":\"alice\",\"password\":\"demo\"}";
        try (Tricklers tricklers = new Tricklers(post("/api/login", body.length()), body, 1)) {
            long[] served = bystandersServedFor(Duration.ofSeconds(1));
            tricklers.assertAllCutWithin(Duration.ofSeconds(5));
            System.out.printf("%d bodies at 1 byte/s: %d bystander requests, worst %d ms; all cut within 5 s%n",
                    TRICKLERS, served[0], served[1]);
        }
    }

    @Test
    void bodiesArrivingAboveTheMinimumRateHoldNoThread() throws Exception {
        String body = "{\"username\":\"" + "a".repeat(59_980) + "\",\"password\":\"x\"}";
        try (Tricklers tricklers = new Tricklers(post("/api/login", body.length()), body, 1024)) {
            long[] served = bystandersServedFor(Duration.ofSeconds(4));
            int open = tricklers.stillOpen();
            assertTrue(open >= TRICKLERS * 9 / 10, "the tricklers were there all along: " + open + " open");
            System.out.printf("%d bodies at 1024 bytes/s (%d still open): %d bystander requests, worst %d ms%n",
                    TRICKLERS, open, served[0], served[1]);
        }
    }

    @Test
    void headersTrickledAByteASecondAreCutOffWithinTheReadTimeout() throws Exception {
        try (Tricklers tricklers = new Tricklers("GET /api/config HTTP/1.1\r\nHost: localhost\r\n",
                "X-Slow: " + "a".repeat(200), 1)) {
            long[] served = bystandersServedFor(Duration.ofSeconds(2));
            tricklers.assertAllCutWithin(Duration.ofSeconds(7));
            System.out.printf("%d trickled headers: %d bystander requests, worst %d ms; all cut within 7 s%n",
                    TRICKLERS, served[0], served[1]);
        }
    }

    private static String post(String path, int contentLength) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    /**
     * Bystander requests back to back for {@code duration}: the config, a page and a logged-in send, each
     * answered within the bound. Returns {requests made, worst latency in ms}.
     */
    private static long[] bystandersServedFor(Duration duration) {
        TestStack.User alice = stack.login("alice");
        long bob = stack.uidOf("bob");
        List<Supplier<TestStack.Reply>> calls = List.of(
                () -> stack.anonymous().get("/api/config"),
                () -> stack.call(stack.anonymous().request("/login.html").get().build()),
                () -> alice.send(Map.of("to_uid", bob, "type", "text", "content", "hi " + UUID.randomUUID())));
        long end = System.nanoTime() + duration.toNanos();
        long requests = 0;
        long worst = 0;
        while (System.nanoTime() < end) {
            for (Supplier<TestStack.Reply> call : calls) {
                long start = System.nanoTime();
                TestStack.Reply reply = call.get();
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(reply.status() == 200 || reply.status() == 201, reply.toString());
                assertTrue(ms < BYSTANDER_BOUND_MS, "a bystander waited " + ms + " ms");
                worst = Math.max(worst, ms);
                requests++;
            }
        }
        return new long[] {requests, worst};
    }

    /**
     * {@value #TRICKLERS} sockets that each send {@code head} at once, then {@code perSecond} bytes of
     * {@code rest} every second (all from one thread).
     */
    private static final class Tricklers implements AutoCloseable {
        private final List<RawHttp> sockets = new ArrayList<>();
        private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger ticks = new AtomicInteger();
        private final AtomicInteger open = new AtomicInteger(TRICKLERS);

        Tricklers(String head, String rest, int perSecond) throws IOException {
            for (int i = 0; i < TRICKLERS; i++) {
                RawHttp socket = RawHttp.connect(stack.api.uri());
                socket.send(head);
                sockets.add(socket);
            }
            byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
            writer.scheduleAtFixedRate(() -> {
                int from = Math.min(bytes.length, ticks.get() * perSecond);
                int to = Math.min(bytes.length, from + perSecond);
                byte[] piece = java.util.Arrays.copyOfRange(bytes, from, to);
                int stillOpen = 0;
                for (RawHttp socket : sockets) {
                    try {
                        socket.send(piece);
                        stillOpen++;
                    } catch (IOException e) {
                        // cut off by the server
                    }
                }
                open.set(stillOpen);
                ticks.incrementAndGet();
            }, 0, 1, TimeUnit.SECONDS);
            Poll.until(Duration.ofSeconds(5), "every trickler sent its first bytes", () -> ticks.get() >= 1);
        }

        int stillOpen() {
            return open.get();
        }

        void assertAllCutWithin(Duration bound) {
            long deadline = System.nanoTime() + bound.toNanos();
            int cut = 0;
            for (RawHttp socket : sockets) {
                if (socket.closedWithin(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                    cut++;
                }
            }
            assertEquals(TRICKLERS, cut, "tricklers cut off within " + bound);
        }

        @Override
        public void close() throws IOException {
            writer.shutdownNow();
            for (RawHttp socket : sockets) {
                socket.close();
            }
        }
    }
}
