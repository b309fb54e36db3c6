package io.pushgate.bench;

import io.pushgate.client.BatchResult;
import io.pushgate.client.PushBatch;
import io.pushgate.client.PushCall;
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
 *      [--sockets 100] [--threads 16] [--in-flight 1000] [--max-async-requests 8] [--batch 100]
 *      [--modes single,threads,async,batch]
 * </pre>
 *
 * Without {@code --admin} it starts a push-server in this JVM on ephemeral loopback ports. It connects
 * {@code --sockets} WebSocket clients, binds each to its own uid, and sends to those uids in turn, so every call
 * delivers one frame that a real connection reads. Between modes it waits until the sockets have read every frame
 * delivered so far, so one mode's backlog does not slow the next.
 */
final class ClientBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> options;
    private final Duration duration;
    private final AtomicLong framesDelivered = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private volatile boolean closing;

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
        okhttp3.Dispatcher wsDispatcher = new okhttp3.Dispatcher();
        wsDispatcher.setMaxRequests(socketCount + 1); // an open WebSocket holds its dispatcher slot
        wsDispatcher.setMaxRequestsPerHost(socketCount + 1);
        OkHttpClient wsHttp = new OkHttpClient.Builder().dispatcher(wsDispatcher).build();
        List<WebSocket> sockets = new ArrayList<>();
        try (PushClient push = PushClient.builder().adminUrls(adminUrl).secret(secret)
                .maxAsyncRequests(option("max-async-requests", 8)).build()) {
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

                    @Override
                    public void onFailure(WebSocket webSocket, Throwable t, okhttp3.Response response) {
                        if (!closing) {
                            System.err.println("socket failed: " + t + (response == null ? "" : " " + response));
                        }
                    }
                }));
                if (!init.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no init frame from " + wsUrl + " for socket " + i);
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
            int inFlight = option("in-flight", 1000);
            int batchSize = option("batch", 100);
            List<String> modes = List.of(options.getOrDefault("modes", "single,threads,async,batch").split(","));
            warmUp(push, uids);
            for (int run = 1; run <= runs; run++) {
                if (modes.contains("single")) {
                    report(run, "single thread", measure(push, uids, 1));
                }
                if (modes.contains("threads")) {
                    report(run, threads + " threads", measure(push, uids, threads));
                }
                if (modes.contains("async")) {
                    report(run, "async, " + inFlight + " in flight", measureAsync(push, uids, inFlight));
                }
                if (modes.contains("batch")) {
                    report(run, "batches of " + batchSize, measureBatches(push, uids, batchSize));
                }
            }
            System.out.printf("frames delivered %,d, received by the sockets %,d%n", framesDelivered.get(),
                    framesReceived.get());
        } finally {
            closing = true;
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

    private void warmUp(PushClient push, List<String> uids) throws InterruptedException {
        for (int i = 0; i < 20_000; i++) {
            framesDelivered.addAndGet(push.sendToUid(uids.get(i % uids.size()), frame(i)));
        }
        report(0, "warm-up (not counted)", 0);
    }

    private void report(int run, String mode, double perSecond) throws InterruptedException {
        System.out.printf("run %d  %-24s %,10.0f sendToUid/s%n", run, mode, perSecond);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (framesReceived.get() < framesDelivered.get() && System.nanoTime() < deadline) {
            Thread.sleep(10); // a bench tool polling the sockets' counter, with a deadline
        }
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
                long delivered = 0;
                while (System.nanoTime() < end) {
                    delivered += push.sendToUid(uids.get((int) ((n * threads + offset) % uids.size())), frame(n));
                    n++;
                }
                calls.addAndGet(n);
                framesDelivered.addAndGet(delivered);
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
            PushCall<Integer> send = push.calls().sendToUid(uids.get((int) (n % uids.size())), frame(n));
            send.enqueue().whenComplete((delivered, e) -> {
                if (e == null) {
                    completed.incrementAndGet();
                    framesDelivered.addAndGet(delivered);
                } else {
                    failed.incrementAndGet();
                }
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
            List<BatchResult<Integer>> sends = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                sends.add(batch.add(push.calls().sendToUid(uids.get((int) ((operations + i) % uids.size())),
                        frame(operations + i))));
            }
            batch.execute();
            for (BatchResult<Integer> send : sends) {
                framesDelivered.addAndGet(send.get());
            }
            operations += size;
        }
        return operations / seconds(start);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
