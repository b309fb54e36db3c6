package io.pushgate.bench;

import io.pushgate.client.PushBatch;
import io.pushgate.client.PushClient;
import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code client}: sendToUid calls per second through push-client-lib, four ways: one thread, 16 threads sharing
 * one client, async with a bounded number in flight, and batches of 100.
 *
 * <pre>
 * java -jar bench/target/bench.jar client [--admin URL --ws URL --secret S] [--seconds 10] [--runs 3]
 *      [--sockets 100] [--threads 16] [--in-flight 64] [--batch 100]
 * </pre>
 *
 * Without {@code --admin} it starts a push-server in this JVM on ephemeral loopback ports. It connects
 * {@code --sockets} WebSocket clients, binds each to its own uid, and sends to those uids in turn, so every call
 * delivers one frame that a real connection reads.
 */
final class ClientBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> options;
    private final Duration duration;

    private ClientBench(Map<String, String> options) {
        this.options = options;
        this.duration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
    }

    static void run(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        new ClientBench(options).run();
    }

    private int option(String name, int defaultValue) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(defaultValue)));
    }

    private void run() throws Exception {
        String secret = options.getOrDefault("secret", "bench-secret");
        PushServer server = null;
        String adminUrl = options.get("admin");
        String wsUrl = options.get("ws");
        if (adminUrl == null) {
            server = PushServer.start(ServerConfig.forTesting(secret));
            adminUrl = server.adminUri().toString();
            wsUrl = server.wsUri().toString();
        } else if (wsUrl == null) {
            throw new IllegalArgumentException("--admin needs --ws as well");
        }
        int socketCount = option("sockets", 100);
        OkHttpClient wsHttp = new OkHttpClient();
        AtomicLong framesReceived = new AtomicLong();
        List<WebSocket> sockets = new ArrayList<>();
        try (PushClient push = PushClient.builder().adminUrls(adminUrl).secret(secret).build()) {
            List<String> uids = new ArrayList<>();
            for (int i = 0; i < socketCount; i++) {
                AtomicReference<String> clientId = new AtomicReference<>();
                CountDownLatch init = new CountDownLatch(1);
                sockets.add(wsHttp.newWebSocket(new Request.Builder().url(wsUrl).build(), new WebSocketListener() {
                    @Override
                    public void onMessage(WebSocket webSocket, String text) {
                        if (init.getCount() > 0) {
                            clientId.set(JSON.readTree(text).path("client_id").asString());
                            init.countDown();
                        } else {
                            framesReceived.incrementAndGet();
                        }
                    }
                }));
                if (!init.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no init frame from " + wsUrl);
                }
                String uid = "bench-" + i + "-" + System.nanoTime();
                push.bindUid(clientId.get(), uid);
                uids.add(uid);
            }
            System.out.printf("client bench: %s, %d sockets bound to %d uids, %d s per mode, %s%n", adminUrl,
                    socketCount, uids.size(), duration.toSeconds(),
                    server == null ? "external server" : "server in this JVM");

            int runs = option("runs", 3);
            int threads = option("threads", 16);
            int inFlight = option("in-flight", 64);
            int batchSize = option("batch", 100);
            warmUp(push, uids);
            for (int run = 1; run <= runs; run++) {
                report(run, "single thread", measure(push, uids, 1));
                report(run, threads + " threads", measure(push, uids, threads));
                report(run, "async, " + inFlight + " in flight", measureAsync(push, uids, inFlight));
                report(run, "batches of " + batchSize, measureBatches(push, uids, batchSize));
            }
            System.out.printf("frames received by the sockets: %d%n", framesReceived.get());
        } finally {
            sockets.forEach(s -> s.close(1000, null));
            wsHttp.dispatcher().executorService().shutdown();
            if (server != null) {
                server.close();
            }
        }
    }

    private static Object frame(long n) {
        return Map.of("type", "bench", "n", n);
    }

    private void warmUp(PushClient push, List<String> uids) {
        for (int i = 0; i < 20_000; i++) {
            push.sendToUid(uids.get(i % uids.size()), frame(i));
        }
    }

    private static void report(int run, String mode, double perSecond) {
        System.out.printf("run %d  %-22s %,10.0f sendToUid/s%n", run, mode, perSecond);
    }

    /** Blocking calls from {@code threads} threads sharing one client. */
    private double measure(PushClient push, List<String> uids, int threads) throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread worker = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    push.sendToUid(uids.get((int) ((n * threads + offset) % uids.size())), frame(n));
                    n++;
                }
                calls.addAndGet(n);
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return calls.get() / seconds(start);
    }

    /** Async calls with at most {@code inFlight} outstanding. */
    private double measureAsync(PushClient push, List<String> uids, int inFlight) throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong completed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long n = 0;
        while (System.nanoTime() < end) {
            permits.acquire();
            push.async().sendToUid(uids.get((int) (n % uids.size())), frame(n)).whenComplete((delivered, e) -> {
                (e == null ? completed : failed).incrementAndGet();
                permits.release();
            });
            n++;
        }
        permits.acquire(inFlight); // wait for the tail
        double rate = completed.get() / seconds(start);
        permits.release(inFlight);
        if (failed.get() > 0) {
            System.out.printf("  (%d async calls failed)%n", failed.get());
        }
        return rate;
    }

    /** Batches of {@code size} sendToUid operations, sent one after another from one thread. */
    private double measureBatches(PushClient push, List<String> uids, int size) {
        long operations = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            PushBatch batch = push.batch();
            for (int i = 0; i < size; i++) {
                batch.sendToUid(uids.get((int) ((operations + i) % uids.size())), frame(operations + i));
            }
            batch.execute();
            operations += size;
        }
        return operations / seconds(start);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
