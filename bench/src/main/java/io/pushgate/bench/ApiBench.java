package io.pushgate.bench;

import io.pushgate.webapi.auth.PasswordHasher;
import io.pushgate.webapi.db.Database;
import io.pushgate.webapi.user.UserDao;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
import java.util.function.BooleanSupplier;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code api}: the chat backend end to end, each server in its own process as deployed ({@link ApiStack}: one
 * push-server, or {@code --nodes} over Redis, and {@code --instances} web-api processes on one fresh database), this
 * JVM only generating load. {@code --pairs} sender/recipient pairs; pair {@code i} logs in, binds and sends through
 * web-api instance {@code i mod instances}, and its recipient's WebSocket is on node {@code i mod nodes}. Then:
 * <ol>
 *   <li>throughput: {@code --threads} threads POST /api/messages as fast as they can for {@code --seconds},
 *       after a warm-up of at least {@code --warmup} seconds that goes on until every JVM's JIT is nearly idle (at
 *       most {@code --max-warmup}); every message is stored and pushed; prints stored messages/s, how many of their
 *       frames arrived, and the CPU each process spent per message;</li>
 *   <li>latency: an open loop of {@code --rate} messages/s for {@code --latency-seconds}; prints p50/p99/max of
 *       the time from issuing the POST to the frame arriving at the recipient's WebSocket.</li>
 * </ol>
 */
final class ApiBench implements Bench.Tool {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration WARMUP_STEP = Duration.ofSeconds(5);
    private static final Duration FRAME_WAIT = Duration.ofSeconds(10);
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient sockets = HttpClient.newHttpClient();

    @Override
    public void run(String[] args) throws Exception {
        Options o = new Options(args);
        int pairs = o.integer("pairs", 50);
        int threads = o.integer("threads", 16);
        int seconds = o.integer("seconds", 10);
        int rate = o.integer("rate", 500);
        int latencySeconds = o.integer("latency-seconds", 20);
        int warmupSeconds = o.integer("warmup", 30);
        int maxWarmupSeconds = o.integer("max-warmup", 300);
        long[] recipients = new long[pairs];
        OkHttpClient http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(threads * 2, 1, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(10)).build();
        try (ApiStack stack = ApiStack.start(o, dbUrl -> createUsers(dbUrl, recipients))) {
            String[] bases = new String[pairs];
            String[] senderTokens = new String[pairs];
            Receiver receiver = new Receiver(rate * latencySeconds + 1000);
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                bases[i] = stack.api(i);
                senderTokens[i] = login(http, bases[i], "s" + i);
                String recipientToken = login(http, bases[i], "r" + i);
                sockets.add(connectAndBind(http, stack.ws(i), bases[i], recipientToken, receiver));
            }
            System.out.printf("api: %d pairs bound, %d threads%n", pairs, threads);

            // 1. throughput
            AtomicLong stored = new AtomicLong(); // every 201, warm-up included: the frames expected
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
                        int status = send(http, bases[pair], senderTokens[pair], recipients[pair], "x".repeat(100));
                        long done = System.nanoTime();
                        if (status != 201) {
                            failed.incrementAndGet();
                            continue;
                        }
                        stored.incrementAndGet();
                        if (issued >= windowStart.get() && done < windowEnd.get()) { // wholly inside it
                            measured.incrementAndGet();
                        }
                    }
                }, "sender-" + t);
                worker.start();
                workers.add(worker);
            }
            Map<String, Long> jvms = new LinkedHashMap<>();
            jvms.put("load generator (this JVM)", ProcessHandle.current().pid());
            stack.servers().forEach(s -> jvms.put(s.name(), s.pid()));
            CpuAccount cpu = new CpuAccount();
            jvms.forEach(cpu::add);
            ProcStat.find(Set.of("mariadbd", "mysqld")).ifPresent(pid -> cpu.add("MariaDB (mariadbd)", pid));
            if (stack.clustered()) {
                ProcStat.find(Set.of("redis-server")).ifPresent(pid -> cpu.add("Redis (redis-server)", pid));
            }
            warmUp(warmupSeconds, maxWarmupSeconds, jvms, stored, stack);
            String loadBefore = ProcStat.loadAverage();
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
            receiver.awaitFrames(stored.get(), FRAME_WAIT);
            System.out.printf("api throughput: %,.0f stored messages/s (POST /api/messages, %d threads over %d "
                            + "web-api instance(s), %d failed; load average %s before, %s after)%n",
                    measured.get() / (double) seconds, threads, stack.instanceCount(), failed.get(), loadBefore,
                    ProcStat.loadAverage());
            System.out.printf("api frames: %,d of %,d stored messages reached their recipient's WebSocket%n",
                    receiver.frames(), stored.get());
            CpuAccount.print("api CPU per stored message, by process (all on this machine's "
                    + Runtime.getRuntime().availableProcessors() + " cores):", cpuPerMessage);

            // 2. latency at a steady rate
            receiver.startMeasuring();
            int total = rate * latencySeconds;
            AtomicLong latencyFailed = new AtomicLong();
            ExecutorService senders = Executors.newFixedThreadPool(threads);
            CountDownLatch issued = new CountDownLatch(total);
            String loadAtStart = ProcStat.loadAverage();
            cpu.start();
            long start = System.nanoTime();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
            for (int i = 0; i < total; i++) {
                long due = start + i * periodNanos;
                sleepUntil(due); // not a spin: the machine's cores are what is being measured
                int pair = i % pairs;
                senders.execute(() -> {
                    if (send(http, bases[pair], senderTokens[pair], recipients[pair], "t:" + System.nanoTime()) != 201) {
                        latencyFailed.incrementAndGet();
                    }
                    issued.countDown();
                });
            }
            issued.await();
            receiver.awaitSamples(total, FRAME_WAIT);
            Map<String, Double> cpuAtRate = cpu.stop(total);
            senders.shutdown();
            long[] samples = receiver.samples();
            Arrays.sort(samples);
            System.out.printf("api latency at %d messages/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d of %d frames, "
                            + "%d failed sends; load average %s before, %s after)%n",
                    rate, ms(percentile(samples, 50)), ms(percentile(samples, 99)),
                    ms(samples.length == 0 ? 0 : samples[samples.length - 1]), samples.length, total,
                    latencyFailed.get(), loadAtStart, ProcStat.loadAverage());
            CpuAccount.print("api CPU per message at " + rate + " messages/s, by process:", cpuAtRate);
            sockets.forEach(s -> s.sendClose(1000, "done"));
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** Migrates the schema (as web-api would) and creates the pairs: s0…, and r0… whose uids go to {@code recipients}. */
    private static void createUsers(String dbUrl, long[] recipients) {
        try (Database db = Database.open(dbUrl, "root", "", 2)) {
            UserDao users = db.jdbi().onDemand(UserDao.class);
            String hash = new PasswordHasher().hash("pw");
            for (int i = 0; i < recipients.length; i++) {
                users.insert("s" + i, hash, "sender " + i, "", "buyer");
                recipients[i] = users.insert("r" + i, hash, "recipient " + i, "", "buyer");
            }
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

    /** Connects a recipient's WebSocket (the JDK's client) to {@code ws} and binds it through {@code base}. */
    private WebSocket connectAndBind(OkHttpClient http, URI ws, String base, String token, Receiver receiver)
            throws Exception {
        CompletableFuture<String> clientId = new CompletableFuture<>();
        WebSocket socket = sockets.newWebSocketBuilder().buildAsync(ws, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                long now = System.nanoTime();
                text.append(data);
                if (last) {
                    JsonNode frame = json.readTree(text.toString());
                    text.setLength(0);
                    String type = frame.path("type").asString();
                    if ("init".equals(type)) {
                        clientId.complete(frame.get("client_id").asString());
                    } else if ("message".equals(type)) {
                        receiver.frame(frame.get("message").get("content").asString(), now);
                    }
                }
                webSocket.request(1);
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
        return socket;
    }

    /**
     * Lets the senders run for at least {@code minSeconds}, then until every JVM's JIT compilers (read from its
     * performance counters, {@link JitClock}) spent under 5 % of the last {@link #WARMUP_STEP} compiling, or
     * {@code maxSeconds} have passed. Where no JVM publishes counters, until the stored rate of one step is within
     * 5 % of the step before. A window measured while C2 still compiles is slower by up to 40 % on 2 cores.
     */
    private static void warmUp(int minSeconds, int maxSeconds, Map<String, Long> jvms, AtomicLong stored,
                               ApiStack stack) {
        long begin = System.nanoTime();
        Map<String, Long> compiled = new LinkedHashMap<>();
        jvms.forEach((name, pid) -> JitClock.compileMillis(pid).ifPresent(ms -> compiled.put(name, ms)));
        long messages = stored.get();
        double previousRate = 0;
        while (true) {
            sleepUntil(System.nanoTime() + WARMUP_STEP.toNanos());
            String exited = stack.exited();
            if (exited != null) {
                throw new IllegalStateException(exited + " exited during the warm-up; see its log");
            }
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin);
            double rate = (stored.get() - messages) / (double) WARMUP_STEP.toSeconds();
            messages = stored.get();
            StringBuilder report = new StringBuilder();
            boolean quiet = true;
            for (Map.Entry<String, Long> jvm : compiled.entrySet()) {
                OptionalLong now = JitClock.compileMillis(jvms.get(jvm.getKey()));
                long compiling = now.orElse(jvm.getValue()) - jvm.getValue();
                jvm.setValue(now.orElse(jvm.getValue()));
                report.append(String.format("%s%s %,d ms", report.length() == 0 ? "" : ", ", jvm.getKey(), compiling));
                quiet &= compiling < WARMUP_STEP.toMillis() / 20;
            }
            if (compiled.isEmpty()) {
                quiet = previousRate > 0 && Math.abs(rate - previousRate) < previousRate / 20;
            }
            previousRate = rate;
            System.out.printf("api warm-up: %d s, %,.0f stored/s; compiling in the last %d s: %s (load average %s)%n",
                    elapsed, rate, WARMUP_STEP.toSeconds(), compiled.isEmpty() ? "no JIT counters" : report,
                    ProcStat.loadAverage());
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

    /** What the recipients' sockets received: every message frame, and latency samples from timed ones. */
    private static final class Receiver {
        private final AtomicLongArray samples;
        private final AtomicInteger count = new AtomicInteger();
        private final AtomicLong frames = new AtomicLong();
        private volatile boolean measuring;

        Receiver(int capacity) {
            samples = new AtomicLongArray(capacity);
        }

        void startMeasuring() {
            measuring = true;
        }

        /** A message frame with {@code content} arrived at {@code now}; "t:<nanoTime>" is a timed one. */
        void frame(String content, long now) {
            frames.incrementAndGet();
            if (measuring && content.startsWith("t:")) {
                int i = count.getAndIncrement();
                if (i < samples.length()) {
                    samples.set(i, now - Long.parseLong(content.substring(2)));
                }
            }
        }

        long frames() {
            return frames.get();
        }

        void awaitFrames(long expected, Duration timeout) {
            awaitUntil(() -> frames.get() >= expected, timeout);
        }

        void awaitSamples(int expected, Duration timeout) {
            awaitUntil(() -> count.get() >= expected, timeout);
        }

        private static void awaitUntil(BooleanSupplier done, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
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
}
