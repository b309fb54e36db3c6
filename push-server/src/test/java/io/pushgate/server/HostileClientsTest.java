package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.RawWebSocket;
import io.pushgate.server.testing.WsTestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Clients with no account trying to stall or exhaust the WebSocket listener. */
class HostileClientsTest {
    static final String SECRET = "hostile-clients-it-secret";
    static final OkHttpClient http = new OkHttpClient();

    @AfterAll
    static void shutdown() {
        http.dispatcher().executorService().shutdown();
    }

    @Test
    void upgradesClosedAtOnceLeaveNothingBehindAndTheCapCountsLiveConnections() throws Exception {
        int cap = 5;
        try (PushServer server = PushServer.start(
                ServerConfig.forTesting(SECRET, Map.of("PUSH_MAX_CONNECTIONS", String.valueOf(cap))))) {
            AtomicInteger maxHeld = new AtomicInteger();
            long attempts = closeRightAfterUpgrading(server.wsUri(), 3, Duration.ofSeconds(4),
                    () -> maxHeld.accumulateAndGet(server.hub().size(), Math::max));
            System.out.printf("%d upgrades closed at once in 4 s: at most %d connections held (cap %d)%n",
                    attempts, maxHeld.get(), cap);
            assertTrue(attempts > 100, "flood ran: " + attempts + " upgrades");
            assertTrue(maxHeld.get() <= cap, "the hub held " + maxHeld.get() + " connections, the cap is " + cap);
            Poll.until(Duration.ofSeconds(3), "hub and presence empty (hub " + server.hub().size() + ")",
                    () -> server.hub().size() == 0 && server.presence().clientCount() == 0);

            // Handshakes of flood sockets may still be queued behind the last ones counted (they find their
            // client gone at once): every slot must be free again shortly after.
            List<RawWebSocket> held = new ArrayList<>();
            try {
                Poll.until(Duration.ofSeconds(5), cap + " real connections accepted", () -> {
                    closeAll(held);
                    for (int i = 0; i < cap; i++) {
                        RawWebSocket client = connect(server.wsUri());
                        held.add(client);
                        if (client.status() != 101) {
                            return false;
                        }
                    }
                    return true;
                });
                try (RawWebSocket refused = RawWebSocket.connect(server.wsUri())) {
                    assertEquals(503, refused.status());
                }
                held.remove(0).close();
                Poll.until(Duration.ofSeconds(5), "slot released", () -> server.hub().size() == cap - 1);
                RawWebSocket again = RawWebSocket.connect(server.wsUri());
                held.add(again);
                assertEquals(101, again.status());
            } finally {
                closeAll(held);
            }
        }
    }

    static RawWebSocket connect(URI ws) {
        try {
            return RawWebSocket.connect(ws);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void closeAll(List<RawWebSocket> clients) {
        for (RawWebSocket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        clients.clear();
    }

    /**
     * The flood against a real server process with a small heap: what an attacker with no account did to take a
     * node down (ghosts, OutOfMemoryErrors, a deaf admin API, SIGTERM ignored).
     */
    @Test
    void aServerProcessOutlivesAFloodOfClosedUpgrades() throws Exception {
        int cap = 50;
        ChildServer child = ChildServer.start(Map.of("PUSH_MAX_CONNECTIONS", String.valueOf(cap)), "-Xmx64m");
        try (WsTestClient before = WsTestClient.connect(http, child.ws)) {
            AdminTestClient admin = new AdminTestClient(http, child.admin, SECRET);
            long heapBefore = child.heapUsedAfterGc();
            AtomicInteger maxHeld = new AtomicInteger();
            AtomicLong slowestStats = new AtomicLong();
            long attempts = closeRightAfterUpgrading(child.ws, 3, Duration.ofSeconds(15), () -> {
                long start = System.nanoTime();
                int held = admin.call("stats").get("node_clients").intValue();
                slowestStats.accumulateAndGet(System.nanoTime() - start, Math::max);
                maxHeld.accumulateAndGet(held, Math::max);
            });
            Poll.until(Duration.ofSeconds(5), "only the real connection left", () -> {
                AdminTestClient.Reply stats = admin.call("stats");
                return stats.get("node_clients").intValue() == 1 && stats.get("clients").intValue() == 1;
            });
            long start = System.nanoTime();
            assertEquals(200, admin.call("stats").status());
            long statsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            try (WsTestClient after = WsTestClient.connect(http, child.ws)) {
                for (WsTestClient client : List.of(before, after)) {
                    assertEquals(200, admin.call("send_to_client", "client_id", client.clientId(),
                            "data", "after the flood").status());
                    assertEquals("after the flood", client.next());
                }
            }
            // What the flood left queued (reads, closes) drains within seconds; what stays is the capacity that
            // queues and maps grew to: 1-3 MB on a quiet machine, up to 30 MB seen on a loaded one, where the
            // flood's backlog grows deeper. 32 MB, half the heap, is what some 5,000 ghosts would hold: the flood
            // makes 20,000-40,000, and today's code would run out of heap long before.
            long settle = System.nanoTime();
            AtomicLong heapAfter = new AtomicLong();
            try {
                Poll.until(Duration.ofSeconds(20), "heap after GC within 32 MB of " + heapBefore + " KB", () -> {
                    heapAfter.set(child.heapUsedAfterGc());
                    return heapAfter.get() < heapBefore + 32 * 1024;
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + " (last " + heapAfter.get() + " KB)", e);
            }
            long settleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - settle);
            long stopMillis = child.stop();
            System.out.printf("%d upgrades closed at once in 15 s: at most %d connections held (cap %d), stats "
                    + "at most %d ms during the flood and %d ms after; heap after GC %d KB before, %d KB after "
                    + "(settled in %d ms); SIGTERM to exit %d ms%n", attempts, maxHeld.get(), cap,
                    TimeUnit.NANOSECONDS.toMillis(slowestStats.get()), statsMillis, heapBefore, heapAfter.get(),
                    settleMillis, stopMillis);
            assertTrue(attempts > 1000, "flood ran: " + attempts + " upgrades");
            assertTrue(maxHeld.get() <= cap, "held " + maxHeld.get() + " connections, the cap is " + cap);
            assertTrue(statsMillis < 1000, "stats took " + statsMillis + " ms");
            assertTrue(stopMillis < 5000, "SIGTERM took " + stopMillis + " ms");
            assertFalse(child.output().contains("OutOfMemoryError"), child.output());
            assertFalse(child.output().contains("\tat "), "no stack trace in the log: " + child.output());
        } finally {
            child.kill();
        }
    }

    @Test
    void unfinishedHandshakesAreDroppedAtTheDeadlineWhileOthersAreServed() throws Exception {
        int deadlineMillis = 1000;
        ServerConfig config = ServerConfig.forTesting(SECRET,
                Map.of("PUSH_HANDSHAKE_TIMEOUT_MS", String.valueOf(deadlineMillis)));
        try (PushServer server = PushServer.start(config);
             WsTestClient old = WsTestClient.connect(http, server.wsUri())) {
            AdminTestClient admin = new AdminTestClient(http, server.adminUri(), SECRET);
            Trickle trickle = new Trickle(server.wsUri(), 600, 400);
            CompletableFuture<long[]> closedAfter = CompletableFuture.supplyAsync(
                    () -> trickle.run(Duration.ofMillis(deadlineMillis + 5000)));

            // bystanders connect and are pushed to while 1000 sockets stall
            int served = 0;
            long slowestMillis = 0;
            while (!closedAfter.isDone()) {
                long start = System.nanoTime();
                try (WsTestClient fresh = WsTestClient.connect(http, server.wsUri())) {
                    assertEquals(200, admin.call("send_to_client", "client_id", fresh.clientId(),
                            "data", "hello " + served).status());
                    assertEquals("hello " + served, fresh.next());
                }
                slowestMillis = Math.max(slowestMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                served++;
            }
            long[] millis = closedAfter.get(20, TimeUnit.SECONDS);
            long latest = 0;
            for (long m : millis) {
                assertTrue(m >= 0, "a stalled socket is still open " + (deadlineMillis + 5000) + " ms on");
                latest = Math.max(latest, m);
            }
            System.out.printf("1000 stalled sockets dropped, the last %d ms after connecting; %d bystanders "
                    + "connected and served meanwhile, slowest %d ms%n", latest, served, slowestMillis);
            assertTrue(latest < deadlineMillis + 1500, "dropped " + latest + " ms after connecting");
            assertTrue(served >= 3, "bystanders served during the trickle: " + served);
            assertTrue(slowestMillis < 2000, "slowest bystander: " + slowestMillis + " ms");

            // the connection upgraded before the trickle outlives the deadline
            assertEquals(200, admin.call("send_to_client", "client_id", old.clientId(), "data", "still here")
                    .status());
            assertEquals("still here", old.next());
        }
    }

    /**
     * Threads that open a socket, send a valid upgrade request and close at once, or right after the first byte
     * of the answer, for {@code duration}; calls {@code sample} between rounds. Returns the number of attempts.
     */
    static long closeRightAfterUpgrading(URI ws, int threads, Duration duration, Runnable sample)
            throws InterruptedException {
        byte[] request = RawWebSocket.upgradeRequest(ws, null);
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong attempts = new AtomicLong();
        List<Thread> flooders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean readFirst = t % 2 == 1;
            Thread flooder = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 2000);
                        socket.setSoTimeout(2000);
                        socket.getOutputStream().write(request);
                        if (readFirst) {
                            InputStream in = socket.getInputStream();
                            in.read();
                        }
                    } catch (IOException e) {
                        // refused or reset: part of the flood
                    }
                    attempts.incrementAndGet();
                }
            }, "flooder-" + t);
            flooder.start();
            flooders.add(flooder);
        }
        while (System.nanoTime() < end) {
            sample.run();
            Thread.sleep(5);
        }
        for (Thread flooder : flooders) {
            flooder.join(5000);
        }
        return attempts.get();
    }

    /** A push-server in its own JVM, started the way {@code java -jar} starts it, from the test classpath. */
    static final class ChildServer {
        private static final Pattern READY = Pattern.compile("push-server ready: ws (\\S+) admin (\\S+)");
        final Process process;
        final URI ws;
        final URI admin;
        private final StringBuffer output;

        private ChildServer(Process process, URI ws, URI admin, StringBuffer output) {
            this.process = process;
            this.ws = ws;
            this.admin = admin;
            this.output = output;
        }

        static ChildServer start(Map<String, String> env, String... jvmOptions) throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of(jvmOptions));
            command.addAll(List.of("-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                    PushServerMain.class.getName()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("PUSH_ADMIN_SECRET", SECRET, "PUSH_WS_HOST", "127.0.0.1",
                    "PUSH_WS_PORT", "0", "PUSH_ADMIN_PORT", "0"));
            builder.environment().putAll(env);
            Process process = builder.start();
            StringBuffer output = new StringBuffer();
            CompletableFuture<Matcher> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.append(line).append('\n');
                        Matcher m = READY.matcher(line);
                        if (m.find()) {
                            ready.complete(m);
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
                ready.completeExceptionally(new AssertionError("push-server exited: " + output));
            }, "child-server-output");
            reader.setDaemon(true);
            reader.start();
            try {
                Matcher m = ready.get(30, TimeUnit.SECONDS);
                return new ChildServer(process, URI.create(m.group(1)), URI.create(m.group(2)), output);
            } catch (Exception e) {
                process.destroyForcibly();
                throw e;
            }
        }

        /** Heap in use (KB) right after a full GC, as {@code jcmd} reports it. */
        long heapUsedAfterGc() {
            jcmd("GC.run");
            Matcher used = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(jcmd("GC.heap_info"));
            long kb = 0;
            while (used.find()) {
                kb += Long.parseLong(used.group(1));
            }
            assertTrue(kb > 0, "no heap figures from jcmd");
            return kb;
        }

        private String jcmd(String command) {
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        String.valueOf(process.pid()), command).redirectErrorStream(true).start();
                String text = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS), "jcmd " + command);
                return text;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Sends SIGTERM and returns how long the process took to exit (fails if it did not within 10 s). */
        long stop() throws InterruptedException {
            long start = System.nanoTime();
            process.destroy();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "SIGTERM did not stop the server");
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        }

        String output() {
            return output.toString();
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    /**
     * Sockets that never finish their handshake: {@code trickling} send a request header a byte every 100 ms,
     * {@code silent} send nothing. {@link #run} returns, per socket, the milliseconds from connecting to the
     * server closing it, or -1 for one still open when the time ran out.
     */
    static final class Trickle {
        private static final byte[] HEADER = ("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nX-Slow: " + "a".repeat(1000)).getBytes(StandardCharsets.US_ASCII);
        private final URI ws;
        private final int trickling;
        private final int silent;

        Trickle(URI ws, int trickling, int silent) {
            this.ws = ws;
            this.trickling = trickling;
            this.silent = silent;
        }

        long[] run(Duration limit) {
            int n = trickling + silent;
            long[] closedAfter = new long[n];
            java.util.Arrays.fill(closedAfter, -1);
            Map<SocketChannel, Integer> index = new HashMap<>();
            long[] openedAt = new long[n];
            int[] sent = new int[n];
            ByteBuffer sink = ByteBuffer.allocate(4096);
            try (Selector selector = Selector.open()) {
                List<SocketChannel> channels = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    SocketChannel channel = SocketChannel.open(new InetSocketAddress(ws.getHost(), ws.getPort()));
                    openedAt[i] = System.nanoTime();
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ);
                    index.put(channel, i);
                    channels.add(channel);
                }
                long end = System.nanoTime() + limit.toNanos();
                long nextByte = System.nanoTime();
                int open = n;
                while (open > 0 && System.nanoTime() < end) {
                    if (System.nanoTime() >= nextByte) {
                        for (int i = 0; i < trickling; i++) {
                            if (closedAfter[i] < 0 && sent[i] < HEADER.length) {
                                try {
                                    channels.get(i).write(ByteBuffer.wrap(HEADER, sent[i]++, 1));
                                } catch (IOException e) {
                                    closedAfter[i] = elapsedMillis(openedAt[i]);
                                    open--;
                                }
                            }
                        }
                        nextByte += TimeUnit.MILLISECONDS.toNanos(100);
                    }
                    selector.select(20);
                    for (SelectionKey key : selector.selectedKeys()) {
                        int i = index.get((SocketChannel) key.channel());
                        int read;
                        try {
                            sink.clear();
                            read = ((SocketChannel) key.channel()).read(sink);
                        } catch (IOException e) {
                            read = -1;
                        }
                        if (read < 0 && closedAfter[i] < 0) {
                            closedAfter[i] = elapsedMillis(openedAt[i]);
                            open--;
                            key.cancel();
                        }
                    }
                    selector.selectedKeys().clear();
                }
                for (SocketChannel channel : channels) {
                    channel.close();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return closedAfter;
        }

        private static long elapsedMillis(long since) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        }
    }
}
