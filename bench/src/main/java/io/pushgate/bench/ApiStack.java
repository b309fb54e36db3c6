package io.pushgate.bench;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The system under test of {@code bench.jar api}, deployed as it runs in production: {@code --nodes} push-server
 * processes ({@code java -jar push-server.jar}; more than one form a cluster over {@code --redis}) and
 * {@code --instances} web-api processes ({@code java -jar web-api.jar}) on one fresh database
 * {@code pushgate_bench_<random>} on {@code --db}, every server on ephemeral loopback ports and configured through
 * its environment. The jars are found beside this benchmark's ({@code <repo>/push-server/target/push-server.jar},
 * {@code <repo>/web-api/target/web-api.jar}) or given with {@code --push-jar} / {@code --api-jar}; JVM options are
 * {@code run.sh}'s ({@code --push-jvm}, {@code --api-jvm} replace them), extra settings go in {@code --push-env} /
 * {@code --api-env} ({@code "NAME=value NAME=value"}). Closing it (or Ctrl-C) stops every server and drops the
 * database; the servers' logs stay in the directory printed at start.
 */
final class ApiStack implements AutoCloseable {
    /** The push-server's JVM options in run.sh: a small heap that shrinks back, for many idle connections. */
    static final String PUSH_JVM_OPTIONS =
            "-XX:+UseSerialGC -Xms16m -Xmn16m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20";
    private static final Pattern PUSH_READY = Pattern.compile("push-server ready: ws (\\S+) admin (\\S+) ");
    private static final Pattern API_READY = Pattern.compile("web-api ready: (\\S+) ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Teardown teardown = new Teardown();
    private final String dbUrl;
    private final String database;
    private final String secret = UUID.randomUUID().toString();
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<ServerProcess> instances = new ArrayList<>();

    private ApiStack(String server, String database) {
        this.dbUrl = server + database;
        this.database = database;
    }

    /**
     * Creates the database and runs {@code migrate} on it (the schema, then the benchmark's users) before any
     * web-api starts, so that the instances start on a migrated schema at the same time without racing Flyway.
     */
    static ApiStack start(Options o, DatabaseSetup migrate) throws Exception {
        String server = o.string("db", "jdbc:mysql://127.0.0.1:3306/");
        String tag = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 4);
        ApiStack stack = new ApiStack(server, "pushgate_bench_" + tag);
        try {
            stack.deploy(o, server, tag, migrate);
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void deploy(Options o, String server, String tag, DatabaseSetup migrate) throws Exception {
        int nodeCount = o.integer("nodes", 1);
        int instanceCount = o.integer("instances", 1);
        if (nodeCount < 1 || instanceCount < 1) {
            throw new IllegalArgumentException("--nodes and --instances must be at least 1");
        }
        Path repo = repositoryRoot();
        Path pushJar = Path.of(o.string("push-jar", repo.resolve("push-server/target/push-server.jar").toString()));
        Path apiJar = Path.of(o.string("api-jar", repo.resolve("web-api/target/web-api.jar").toString()));
        List<String> pushJvm = words(o.string("push-jvm", PUSH_JVM_OPTIONS));
        List<String> apiJvm = words(o.string("api-jvm", ""));
        Path logs = Files.createTempDirectory("pushgate-bench-");
        System.out.printf("api: servers' logs in %s%n", logs);

        execute(server, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        teardown.add(() -> execute(server, "DROP DATABASE IF EXISTS " + database));
        migrate.run(dbUrl);

        Map<String, String> pushEnv = new HashMap<>(Map.of("PUSH_ADMIN_SECRET", secret,
                "PUSH_WS_HOST", "127.0.0.1", "PUSH_WS_PORT", "0", "PUSH_ADMIN_HOST", "127.0.0.1",
                "PUSH_ADMIN_PORT", "0"));
        if (nodeCount > 1) {
            pushEnv.put("PUSH_REDIS_URI", o.string("redis", "redis://127.0.0.1:6379"));
            pushEnv.put("PUSH_REDIS_PREFIX", database + ":"); // nodes of this run only
        }
        pushEnv.putAll(settings(o.string("push-env", "")));
        for (int i = 1; i <= nodeCount; i++) {
            nodes.add(teardown.add(ServerProcess.start("push-server " + i, pushJar, pushJvm, pushEnv,
                    logs.resolve("push-server-" + i + ".log"), PUSH_READY, START_TIMEOUT)));
        }
        Map<String, String> apiEnv = new HashMap<>(Map.of("API_HOST", "127.0.0.1", "API_PORT", "0",
                "DB_URL", dbUrl, "PUSH_ADMIN_SECRET", secret, "DEMO_DATA", "false",
                "UPLOAD_DIR", logs.resolve("uploads").toString(), "DATA_DIR", logs.resolve("data").toString(),
                // limits out of the way: every sender is a user sending thousands of messages a second
                "RATE_LIMIT_PER_SECOND", "1000000", "RATE_LIMIT_BURST", "1000000",
                "LOGIN_ATTEMPTS_PER_ADDRESS", "1000000"));
        apiEnv.put("PUSH_ADMIN_URLS", nodes.stream().map(n -> n.ready(2)).collect(Collectors.joining(",")));
        apiEnv.putAll(settings(o.string("api-env", "")));
        for (int i = 1; i <= instanceCount; i++) {
            instances.add(teardown.add(ServerProcess.start("web-api " + i, apiJar, apiJvm, apiEnv,
                    logs.resolve("web-api-" + i + ".log"), API_READY, START_TIMEOUT)));
        }
        System.out.printf("api: %d push-server node(s)%s, %d web-api instance(s) on database %s; push-server JVM "
                        + "options [%s], web-api JVM options [%s]%n", nodeCount, nodeCount > 1 ? " over Redis" : "",
                instanceCount, database, String.join(" ", pushJvm), String.join(" ", apiJvm));
    }

    /** Migrates a fresh database ({@code jdbc:mysql://…/pushgate_bench_…}) and fills it. */
    @FunctionalInterface
    interface DatabaseSetup {
        void run(String dbUrl) throws Exception;
    }

    /** The WebSocket URL of node {@code i} (0-based, modulo the number of nodes). */
    URI ws(int i) {
        return URI.create(nodes.get(i % nodes.size()).ready(1));
    }

    /** The base URL of web-api instance {@code i} (0-based, modulo the number of instances). */
    String api(int i) {
        return instances.get(i % instances.size()).ready(1);
    }

    /** True when the push-server nodes form a cluster over Redis. */
    boolean clustered() {
        return nodes.size() > 1;
    }

    int instanceCount() {
        return instances.size();
    }

    String database() {
        return database;
    }

    /** Every server process, nodes first. */
    List<ServerProcess> servers() {
        List<ServerProcess> all = new ArrayList<>(nodes);
        all.addAll(instances);
        return all;
    }

    /** The name of the first server that is no longer running; null while all run. */
    String exited() {
        return servers().stream().filter(s -> !s.alive()).map(ServerProcess::name).findFirst().orElse(null);
    }

    @Override
    public void close() {
        teardown.close();
    }

    /** The checkout holding this benchmark: bench/target/bench.jar (or bench/target/classes) is three levels down. */
    private static Path repositoryRoot() throws URISyntaxException {
        Path location = Path.of(ApiStack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = location.toAbsolutePath().getParent().getParent().getParent();
        return root == null ? Path.of(".") : root;
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /** {@code "NAME=value NAME=value"} as a map. */
    private static Map<String, String> settings(String text) {
        Map<String, String> env = new HashMap<>();
        for (String pair : words(text)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected NAME=value, got " + pair);
            }
            env.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return env;
    }

    private static void execute(String server, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server, "root", "")) {
            c.createStatement().execute(sql);
        }
    }
}
