package io.pushgate.bench;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.webapi.WebApi;
import io.pushgate.webapi.WebApiConfig;
import io.pushgate.webapi.auth.PasswordHasher;
import io.pushgate.webapi.user.UserDao;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code api}: the chat backend end to end. Starts a push-server and web-api in this JVM on a fresh database
 * ({@code pushgate_bench_<random>} on {@code --db}, dropped afterwards), with {@code --pairs} sender/recipient pairs,
 * every recipient connected over WebSocket and bound. Then:
 * <ol>
 *   <li>throughput: {@code --threads} threads POST /api/messages as fast as they can for {@code --seconds},
 *       after a warm-up of at least {@code --warmup} seconds that goes on until the JIT is nearly idle (at most
 *       {@code --max-warmup}); every message is stored and pushed; prints stored messages/s and the CPU each
 *       part of the system spent per message;</li>
 *   <li>latency: an open loop of {@code --rate} messages/s for {@code --latency-seconds}; prints p50/p99/max of
 *       the time from issuing the POST to the frame arriving at the recipient's WebSocket.</li>
 * </ol>
 */
final class ApiBench implements Bench.Tool {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration WARMUP_STEP = Duration.ofSeconds(5);
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient sockets = HttpClient.newHttpClient();

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        String server = o.string("db", "jdbc:mysql://127.0.0.1:3306/");
        int pairs = o.integer("pairs", 50);
        int threads = o.integer("threads", 16);
        int seconds = o.integer("seconds", 10);
        int rate = o.integer("rate", 500);
        int latencySeconds = o.integer("latency-seconds", 20);
        int warmupSeconds = o.integer("warmup", 30);
        int maxWarmupSeconds = o.integer("max-warmup", 300);
        String database = "pushgate_bench_" + HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 4);
        execute(server, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        String secret = UUID.randomUUID().toString();
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(threads * 2, 1, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(10)).build();
        try (PushServer push = PushServer.start(ServerConfig.forTesting(secret));
             WebApi api = WebApi.start(WebApiConfig.forTesting(server + database, push.adminUri().toString(), secret,
                     Files.createTempDirectory("bench-uploads"), Map.of("DEMO_DATA", "false",
                             "RATE_LIMIT_PER_SECOND", "1000000", "RATE_LIMIT_BURST", "1000000")))) {
            String base = api.uri().toString();
            UserDao users = api.jdbi().onDemand(UserDao.class);
            String hash = new PasswordHasher().hash("pw");
            String[] senderTokens = new String[pairs];
            long[] recipients = new long[pairs];
            Receiver receiver = new Receiver(rate * latencySeconds + 1000);
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                users.insert("s" + i, hash, "sender " + i, "", "buyer");
                recipients[i] = users.insert("r" + i, hash, "recipient " + i, "", "buyer");
                senderTokens[i] = login(http, base, "s" + i);
                String recipientToken = login(http, base, "r" + i);
                sockets.add(connectAndBind(http, push, base, recipientToken, receiver));
            }
            System.out.printf("api: %d pairs bound, %d threads; database %s%n", pairs, threads, database);

            // 1. throughput
            AtomicLong measured = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE); // set once the warm-up is over
            AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
            List<Thread> workers = new ArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true); // the senders outlive the window: their CPU is counted
            for (int t = 0; t < threads; t++) {
                int offset = t;
                Thread worker = new Thread(() -> {
                    int k = offset;
                    while (running.get()) {
                        long issued = System.nanoTime();
                        int pair = k++ % pairs;
                        int status = send(http, base, senderTokens[pair], recipients[pair], "x".repeat(100));
                        long done = System.nanoTime();
                        if (status != 201) {
                            failed.incrementAndGet();
                        } else if (issued >= windowStart.get() && done < windowEnd.get()) { // wholly inside it
                            measured.incrementAndGet();
                        }
                    }
                });
                worker.start();
                workers.add(worker);
            }
            CpuAccount cpu = new CpuAccount(ApiBench::partOf);
            workers.forEach(w -> cpu.assign(w, "load generator: senders (OkHttp)"));
            warmUp(warmupSeconds, maxWarmupSeconds);
            cpu.start();
            long measuring = System.nanoTime();
            windowEnd.set(measuring + TimeUnit.SECONDS.toNanos(seconds));
            windowStart.set(measuring);
            sleepUntil(windowEnd.get());
            Map<String, Double> cpuPerMessage = cpu.stop(Math.max(1, measured.get()));
            running.set(false);
            for (Thread worker : workers) {
                worker.join();
            }
            System.out.printf("api throughput: %,.0f stored messages/s (POST /api/messages, %d threads, %d failed)%n",
                    measured.get() / (double) seconds, threads, failed.get());
            CpuAccount.print("api CPU per stored message, by part (all on this machine's " 
                    + Runtime.getRuntime().availableProcessors() + " cores):", cpuPerMessage);

            // 2. latency at a steady rate
            receiver.startMeasuring();
            int total = rate * latencySeconds;
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            CountDownLatch issued = new CountDownLatch(total);
            long start = System.nanoTime();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                sleepUntil(due); // not a spin: the machine's cores are what is being measured
                int pair = i % pairs;
                senders.execute(() -> {
                    send(http, base, senderTokens[pair], recipients[pair], "t:" + System.nanoTime());
                    issued.countDown();
                });
            }
            issued.await();
            receiver.awaitSamples(total, Duration.ofSeconds(10));
            senders.shutdown();
            long[] samples = receiver.samples();
            Arrays.sort(samples);
            System.out.printf("api latency at %d messages/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d of %d frames)%n",
                    rate, ms(percentile(samples, 50)), ms(percentile(samples, 99)),
                    ms(samples.length == 0 ? 0 : samples[samples.length - 1]), samples.length, total);
            sockets.forEach(s -> s.sendClose(1000, "done"));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            execute(server, "DROP DATABASE IF EXISTS " + database);
        }
    }

    private String login(OkHttpClient http, String base, String username) throws IOException {
        Request request = new Request.Builder().url(base + "/api/login").post(RequestBody.create(
                json.writeValueAsBytes(Map.of("username", username, "password", "pw")), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            return json.readTree(response.body().bytes()).get("token").asString();
        }
    }

    private int send(OkHttpClient http, String base, String token, long to, String content) {
        Request request = new Request.Builder().url(base + "/api/messages").header("Authorization", "Bearer " + token)
                .post(RequestBody.create(json.writeValueAsBytes(Map.of("to_uid", to, "type", "text",
                        "content", content)), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            response.body().bytes();
            return response.code();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Connects a recipient's WebSocket and binds it. The sockets use the JDK's client, not OkHttp, so that their
     * threads ("HttpClient-…") are told apart from web-api's push-client-lib (OkHttp) in the CPU account.
     */
    private WebSocket connectAndBind(OkHttpClient http, PushServer push, String base, String token, Receiver receiver)
            throws Exception {
        CompletableFuture<String> clientId = new CompletableFuture<>();
        WebSocket ws = sockets.newWebSocketBuilder().buildAsync(push.wsUri(), new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                long now = System.nanoTime();
                text.append(data);
                if (last) {
                    JsonNode frame = json.readTree(text.toString());
                    text.setLength(0);
                    String type = frame.path("type").asString();
                    if ("init".equals(type)) {
                        clientId.complete(frame.get("client_id").asString());
                    } else if ("message".equals(type)) {
                        String content = frame.get("message").get("content").asString();
                        if (content.startsWith("t:")) {
                            receiver.record(now - Long.parseLong(content.substring(2)));
                        }
                    }
                }
                socket.request(1);
                return null;
            }
        }).get(5, TimeUnit.SECONDS);
        String id = clientId.get(5, TimeUnit.SECONDS);
        Request bind = new Request.Builder().url(base + "/api/bind").header("Authorization", "Bearer " + token)
                .post(RequestBody.create(json.writeValueAsBytes(Map.of("client_id", id)), JSON)).build();
        try (Response response = http.newCall(bind).execute()) {
            if (response.code() != 200) {
                throw new IllegalStateException("bind failed: " + response.code());
            }
        }
        return ws;
    }

    /**
     * Lets the senders run for at least {@code minSeconds}, then until the JIT compilers have been nearly idle
     * for one {@link #WARMUP_STEP} (under 5 % of it spent compiling), or {@code maxSeconds} have passed. In one JVM
     * holding web-api, the push-server and the load generator, C2 keeps compiling for minutes on 2 cores, and a
     * window measured during that is slower by up to 40 %.
     */
    private static void warmUp(int minSeconds, int maxSeconds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean monitored = jit != null && jit.isCompilationTimeMonitoringSupported();
        long begin = System.nanoTime();
        long compiled = monitored ? jit.getTotalCompilationTime() : 0;
        while (true) {
            sleepUntil(System.nanoTime() + WARMUP_STEP.toNanos());
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
            long now = monitored ? jit.getTotalCompilationTime() : 0;
            long compiling = now - compiled;
            compiled = now;
            System.out.printf("api warm-up: %d s, %,d ms compiling in the last %d s%n", elapsed, compiling,
                    WARMUP_STEP.toSeconds());
            boolean quiet = !monitored || compiling < WARMUP_STEP.toMillis() / 20;
            if (elapsed >= maxSeconds || (elapsed >= minSeconds && quiet)) {
                return;
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        for (long wait; (wait = nanoTime - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
        }
    }

    /** The part of this benchmark a thread belongs to, from its name. */
    private static String partOf(String thread) {
        if (thread.startsWith("HttpClient")) {
            return "load generator: recipients' WebSockets (JDK)";
        }
        if (thread.startsWith("JettyServerThreadPool")) {
            return "web-api: requests (Jetty, Javalin, JSON)";
        }
        if (thread.startsWith("web-api-message-writer")) {
            return "web-api: message writer (INSERTs)";
        }
        if (thread.startsWith("OkHttp") || thread.startsWith("Okio")) {
            return "web-api: push-client-lib (OkHttp)";
        }
        if (thread.startsWith("grizzly") || thread.startsWith("pushgate-") || thread.startsWith("tyrus")) {
            return "push-server";
        }
        return "other threads";
    }

    /** Latency samples from the recipients' sockets. */
    private static final class Receiver {
        private final AtomicLongArray samples;
        private final AtomicInteger count = new AtomicInteger();
        private volatile boolean measuring;

        Receiver(int capacity) {
            samples = new AtomicLongArray(capacity);
        }

        void startMeasuring() {
            measuring = true;
        }

        void record(long nanos) {
            if (measuring) {
                int i = count.getAndIncrement();
                if (i < samples.length()) {
                    samples.set(i, nanos);
                }
            }
        }

        void awaitSamples(int expected, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count.get() < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }

        long[] samples() {
            int n = Math.min(count.get(), samples.length());
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = samples.get(i);
            }
            return out;
        }
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void execute(String server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server, "root", "")) {
            c.createStatement().execute(sql);
        }
    }
}
