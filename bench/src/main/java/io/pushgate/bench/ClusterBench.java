package io.pushgate.bench;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code cluster}: send_to_uid calls per second and group fan-out, for one node without Redis, one node over
 * Redis, and two nodes over Redis, all in this JVM against the Redis at {@code --redis}.
 *
 * <pre>
 * java -jar bench/target/bench.jar cluster [--redis redis://127.0.0.1:6379] [--clients 1000] [--seconds 10]
 *                                          [--callers 8] [--fanouts 20] [--rounds 3]
 * </pre>
 *
 * Clients are spread evenly over the nodes, each bound to its own uid and in one group; admin calls go to the
 * nodes in turn, so with two nodes half the send_to_uid calls target a connection on the other node. Setups are
 * measured in interleaved rounds and the medians printed, with the CPU each call cost this JVM and the Redis
 * server, which depends much less on what else the machine is doing than the rates do. Everything
 * (nodes, Redis, WebSocket clients, callers) shares this machine: see docs/BENCHMARKS.md, "Cluster".
 */
final class ClusterBench {
    private static final String SECRET = "bench-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String redis;
    private final int clientCount;
    private final int seconds;
    private final int callers;
    private final int fanouts;
    private final int rounds;
    private final OkHttpClient ws = wsClient();
    private final LongAdder received = new LongAdder();
    private final io.lettuce.core.RedisClient redisClient;
    private final io.lettuce.core.api.StatefulRedisConnection<String, String> redisInfo;

    private ClusterBench(Map<String, String> options) {
        redis = options.getOrDefault("redis", "redis://127.0.0.1:6379");
        clientCount = Integer.parseInt(options.getOrDefault("clients", "1000"));
        seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        callers = Integer.parseInt(options.getOrDefault("callers", "8"));
        fanouts = Integer.parseInt(options.getOrDefault("fanouts", "20"));
        rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        redisClient = io.lettuce.core.RedisClient.create(redis);
        redisInfo = redisClient.connect();
    }

    /** One setup's figures in one round. */
    private record Result(double callsPerSecond, double p50Millis, double p99Millis, double jvmCpuMicrosPerCall,
                          double redisCpuMicrosPerCall, double fanoutMillis, double fanoutJvmCpuMillis,
                          double fanoutRedisCpuMicros) {
    }

    private static OkHttpClient wsClient() {
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        dispatcher.setMaxRequests(100_000); // every open WebSocket counts as a running call
        dispatcher.setMaxRequestsPerHost(100_000);
        return new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(Duration.ZERO).build();
    }

    static void run(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ClusterBench bench = new ClusterBench(options);
        System.out.printf("cluster bench: %d clients, %d callers, %d s per rate run, %d fan-outs, %d rounds, %d cores%n",
                bench.clientCount, bench.callers, bench.seconds, bench.fanouts, bench.rounds,
                Runtime.getRuntime().availableProcessors());
        String[] labels = {"1 node, memory", "1 node, Redis", "2 nodes, Redis"};
        List<List<Result>> results = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int round = 1; round <= bench.rounds; round++) { // interleaved, so that a noisy minute hits every setup
            for (int setup = 0; setup < labels.length; setup++) {
                Result r = bench.measure(setup);
                results.get(setup).add(r);
                System.out.printf("round %d, %s: %s%n", round, labels[setup], r);
            }
        }
        System.out.println();
        System.out.println("Medians over " + bench.rounds + " rounds:");
        System.out.println();
        System.out.println("| setup | send_to_uid calls/s | p50 / p99 ms | JVM CPU per call | Redis CPU per call "
                + "| fan-out to " + bench.clientCount + " clients | JVM CPU per fan-out | Redis CPU per fan-out |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int setup = 0; setup < labels.length; setup++) {
            List<Result> rs = results.get(setup);
            System.out.printf("| %s | %,.0f | %.1f / %.1f | %.0f µs | %.0f µs | %.1f ms | %.1f ms | %.0f µs |%n",
                    labels[setup], median(rs, Result::callsPerSecond), median(rs, Result::p50Millis),
                    median(rs, Result::p99Millis), median(rs, Result::jvmCpuMicrosPerCall),
                    median(rs, Result::redisCpuMicrosPerCall), median(rs, Result::fanoutMillis),
                    median(rs, Result::fanoutJvmCpuMillis), median(rs, Result::fanoutRedisCpuMicros));
        }
        bench.ws.dispatcher().executorService().shutdown();
        bench.ws.connectionPool().evictAll();
        bench.redisClient.shutdown();
    }

    private static double median(List<Result> results, java.util.function.ToDoubleFunction<Result> metric) {
        double[] values = results.stream().mapToDouble(metric).sorted().toArray();
        return values[values.length / 2];
    }

    /** Setup 0: one node in single-node mode; 1 and 2: that many nodes over Redis. */
    private Result measure(int redisNodes) throws Exception {
        String prefix = "pushgate:bench:" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4)) + ":";
        List<PushServer> nodes = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        try {
            if (redisNodes == 0) {
                nodes.add(PushServer.start(ServerConfig.forTesting(SECRET)));
            }
            for (int i = 1; i <= redisNodes; i++) {
                nodes.add(PushServer.start(ServerConfig.forTesting(SECRET, Map.of(
                        "PUSH_REDIS_URI", redis, "PUSH_NODE_ID", "b" + i, "PUSH_REDIS_PREFIX", prefix))));
            }
            List<String> clientIds = connect(nodes, sockets);
            for (int i = 0; i < clientIds.size(); i++) {
                call(nodes.get(i % nodes.size()), "batch", Map.of("ops", List.of(
                        Map.of("method", "bind_uid", "client_id", clientIds.get(i), "uid", "u" + i),
                        Map.of("method", "join_group", "client_id", clientIds.get(i), "group", "everyone"))));
            }
            long jvm0 = jvmCpuNanos();
            double redis0 = redisCpuMicros();
            long[] rate = sendToUidRate(nodes);
            double calls = (double) rate[0] * seconds;
            double jvmPerCall = (jvmCpuNanos() - jvm0) / 1e3 / calls;
            double redisPerCall = (redisCpuMicros() - redis0) / calls;
            jvm0 = jvmCpuNanos();
            redis0 = redisCpuMicros();
            long fanout = fanOut(nodes);
            return new Result(rate[0], rate[1] / 1e6, rate[2] / 1e6, jvmPerCall, redisPerCall, fanout / 1e6,
                    (jvmCpuNanos() - jvm0) / 1e6 / fanouts, (redisCpuMicros() - redis0) / fanouts);
        } finally {
            sockets.forEach(WebSocket::cancel);
            nodes.forEach(PushServer::close); // a node that leaves removes its keys
        }
    }

    private List<String> connect(List<PushServer> nodes, List<WebSocket> sockets) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            CompletableFuture<String> init = new CompletableFuture<>();
            URI uri = nodes.get(i % nodes.size()).wsUri();
            sockets.add(ws.newWebSocket(new Request.Builder().url(uri.toString().replace("ws://", "http://")).build(),
                    new WebSocketListener() {
                        @Override
                        public void onMessage(WebSocket socket, String text) {
                            if (!init.isDone()) {
                                init.complete(JSON.readTree(text).path("client_id").asString());
                            } else {
                                received.increment();
                            }
                        }
                    }));
            ids.add(init.get(10, TimeUnit.SECONDS));
        }
        return ids;
    }

    /** {calls per second, p50 nanos, p99 nanos}. */
    private long[] sendToUidRate(List<PushServer> nodes) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong calls = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < callers; t++) {
            int caller = t;
            long[] mine = new long[2_000_000];
            latencies.add(mine);
            Thread thread = new Thread(() -> {
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try {
                    while (System.nanoTime() < end && n < mine.length) {
                        PushServer node = nodes.get((caller + n) % nodes.size());
                        long start = System.nanoTime();
                        call(node, "send_to_uid", Map.of("uid", "u" + random.nextInt(clientCount), "data", "x"));
                        mine[n++] = System.nanoTime() - start;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                calls.addAndGet(n);
                mine[mine.length - 1] = n; // how many were recorded
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<Long> all = new ArrayList<>();
        for (long[] mine : latencies) {
            int n = (int) mine[mine.length - 1];
            for (int i = 0; i < n; i++) {
                all.add(mine[i]);
            }
        }
        all.sort(null);
        return new long[] {calls.get() / seconds, all.get(all.size() / 2), all.get(all.size() * 99 / 100)};
    }

    /** CPU time used by this JVM: the nodes, the WebSocket clients and the callers. */
    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time used by the Redis server since it started (INFO cpu), in microseconds. */
    private double redisCpuMicros() {
        double seconds = 0;
        for (String line : redisInfo.sync().info("cpu").split("\r?\n")) {
            if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
                seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return seconds * 1e6;
    }

    /** The median time from the call to the last client's frame, in nanoseconds. */
    private long fanOut(List<PushServer> nodes) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < fanouts; i++) {
            long before = received.sum();
            long start = System.nanoTime();
            JsonNode reply = call(nodes.get(i % nodes.size()), "send_to_group", Map.of("group", "everyone",
                    "data", Map.of("type", "bench", "n", i)));
            if (reply.path("delivered").asInt() != clientCount) {
                throw new IllegalStateException("delivered " + reply + ", expected " + clientCount);
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(30);
            while (received.sum() - before < clientCount) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("fan-out incomplete after 30 s");
                }
                Thread.onSpinWait();
            }
            times.add(System.nanoTime() - start);
        }
        times.sort(null);
        return times.get(times.size() / 2);
    }

    private static JsonNode call(PushServer node, String method, Map<String, ?> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(node.adminUri().resolve("/v1/" + method))
                .header("Authorization", "Bearer " + SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " -> " + response.statusCode() + " " + new String(response.body()));
        }
        return JSON.readTree(response.body());
    }
}
