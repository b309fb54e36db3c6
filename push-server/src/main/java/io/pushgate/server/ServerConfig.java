package io.pushgate.server;

import io.pushgate.config.ConfigException;
import io.pushgate.config.EnvReader;
import io.pushgate.config.Setting;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything the push-server reads from its environment, validated once at start.
 *
 * <p>Every setting is an environment variable, read once in {@code read} with its default and allowed values;
 * {@link #settings()} lists them, and the README's configuration table is checked against that list.
 * {@link #fromEnv(Map)} collects every problem at once and throws a {@link ConfigException} naming each, so a
 * misconfigured server refuses to start with one clear message instead of failing later. Tests build theirs with
 * {@link #forTesting(String, Map)}: the same reading, with free loopback ports.
 *
 * @param wsHost             PUSH_WS_HOST, default {@code 0.0.0.0}
 * @param wsPort             PUSH_WS_PORT, default 8282; 0 picks a free port
 * @param adminHost          PUSH_ADMIN_HOST, default {@code 127.0.0.1}
 * @param adminPort          PUSH_ADMIN_PORT, default 8283; 0 picks a free port
 * @param adminSecret        PUSH_ADMIN_SECRET, required
 * @param pingIntervalSeconds PUSH_PING_INTERVAL_S, default 25
 * @param nodeId             PUSH_NODE_ID, default random; letters, digits, {@code _} and {@code -}
 * @param redisUri           PUSH_REDIS_URI, default none (single node)
 * @param connectSecret      PUSH_CONNECT_SECRET, default none; when set, at least 32 bytes
 * @param allowedOrigins     PUSH_ALLOWED_ORIGINS, default {@code *}
 * @param maxConnections     PUSH_MAX_CONNECTIONS, default 0 (unbounded)
 * @param maxAdminBodyBytes  PUSH_ADMIN_MAX_BODY_BYTES, default 1 MiB
 * @param maxQueuedBytes     PUSH_MAX_QUEUED_BYTES, default 1 MiB: outbound bytes a connection may fall behind
 * @param redisPrefix        PUSH_REDIS_PREFIX, default {@code pushgate:}: the start of every Redis key and channel of
 *                           the cluster; nodes sharing it form one cluster
 * @param redisHeartbeatMillis PUSH_REDIS_HEARTBEAT_MS, default 1000: how often a cluster node announces itself; a
 *                           node silent for three periods is taken for dead and its connections are removed
 * @param handshakeTimeoutMillis PUSH_HANDSHAKE_TIMEOUT_MS, default 5000: a connection to the WebSocket port that has
 *                           not completed its upgrade this long after connecting is dropped
 * @param connectTokenMaxTtlSeconds PUSH_CONNECT_TOKEN_MAX_TTL_S, default 86400: a connect token whose {@code exp} is
 *                           further ahead than this is refused
 * @param adminReadTimeoutMillis PUSH_ADMIN_READ_TIMEOUT_MS, default 5000: how long an admin request may take to
 *                           arrive whole (headers, then body) from its first byte; a late one gets 408 or is dropped
 */
public record ServerConfig(
        String wsHost,
        int wsPort,
        String adminHost,
        int adminPort,
        String adminSecret,
        int pingIntervalSeconds,
        String nodeId,
        String redisUri,
        String connectSecret,
        Set<String> allowedOrigins,
        int maxConnections,
        int maxAdminBodyBytes,
        int maxQueuedBytes,
        String redisPrefix,
        int redisHeartbeatMillis,
        int handshakeTimeoutMillis,
        int connectTokenMaxTtlSeconds,
        int adminReadTimeoutMillis) {

    public static final int DEFAULT_WS_PORT = 8282;
    public static final int DEFAULT_ADMIN_PORT = 8283;
    public static final int MIN_CONNECT_SECRET_BYTES = 32;
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** Reads and validates the configuration; throws {@link ConfigException} listing every problem. */
    public static ServerConfig fromEnv(Map<String, String> env) {
        return EnvReader.read(env, ServerConfig::read);
    }

    /** Every variable {@link #fromEnv} reads, with its default and allowed values (the README's table). */
    public static List<Setting> settings() {
        return EnvReader.declaredBy(ServerConfig::read);
    }

    /**
     * A configuration for tests and embedding: the production defaults, but both listeners on free loopback
     * ports, the given admin secret, and {@code overrides} (further environment variables) on top.
     */
    public static ServerConfig forTesting(String adminSecret, Map<String, String> overrides) {
        return fromEnv(EnvReader.overriding(Map.of(
                "PUSH_WS_HOST", "127.0.0.1", "PUSH_WS_PORT", "0",
                "PUSH_ADMIN_PORT", "0", "PUSH_ADMIN_SECRET", adminSecret), overrides));
    }

    /** {@link #forTesting(String, Map)} with no overrides. */
    public static ServerConfig forTesting(String adminSecret) {
        return forTesting(adminSecret, Map.of());
    }

    private static ServerConfig read(EnvReader r) {
        String wsHost = r.string("PUSH_WS_HOST", "0.0.0.0", "a host name or IP address");
        int wsPort = r.integer("PUSH_WS_PORT", DEFAULT_WS_PORT, 0, 65535);
        String adminHost = r.string("PUSH_ADMIN_HOST", "127.0.0.1", "a host name or IP address");
        int adminPort = r.integer("PUSH_ADMIN_PORT", DEFAULT_ADMIN_PORT, 0, 65535);
        String adminSecret = r.required("PUSH_ADMIN_SECRET", "any text",
                "the admin API needs a bearer secret (for example: export PUSH_ADMIN_SECRET=$(openssl rand -hex 32))");
        int pingIntervalSeconds = r.integer("PUSH_PING_INTERVAL_S", 25, 1, 3600);
        String nodeId = r.string("PUSH_NODE_ID", null, "random 12 hex digits", "1-32 of A-Za-z0-9_-");
        if (nodeId == null) {
            nodeId = randomNodeId();
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            r.problem("PUSH_NODE_ID must be 1-32 letters, digits, '_' or '-', got '" + nodeId + "'");
        }
        String redisUri = r.string("PUSH_REDIS_URI", null, "unset = single node", "a Redis URI, redis://host:6379");
        String redisPrefix = r.string("PUSH_REDIS_PREFIX", "pushgate:", "any text");
        int redisHeartbeatMillis = r.integer("PUSH_REDIS_HEARTBEAT_MS", 1000, 50, 60_000);
        String connectSecret = r.string("PUSH_CONNECT_SECRET", null, "text of at least "
                + MIN_CONNECT_SECRET_BYTES + " bytes");
        if (connectSecret != null && connectSecret.getBytes(StandardCharsets.UTF_8).length < MIN_CONNECT_SECRET_BYTES) {
            r.problem("PUSH_CONNECT_SECRET must be at least " + MIN_CONNECT_SECRET_BYTES + " bytes for HS256, got "
                    + connectSecret.getBytes(StandardCharsets.UTF_8).length);
        }
        int connectTokenMaxTtlSeconds = r.integer("PUSH_CONNECT_TOKEN_MAX_TTL_S", 86_400, 60, 31_536_000);
        Set<String> allowedOrigins = Arrays.stream(r.string("PUSH_ALLOWED_ORIGINS", "*",
                        "* or comma-separated Origins").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new ServerConfig(
                wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, nodeId, redisUri,
                connectSecret,
                allowedOrigins.isEmpty() ? Set.of("*") : allowedOrigins,
                r.integer("PUSH_MAX_CONNECTIONS", 0, 0, Integer.MAX_VALUE),
                r.integer("PUSH_ADMIN_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20),
                r.integer("PUSH_MAX_QUEUED_BYTES", 1 << 20, 4096, 256 << 20),
                redisPrefix,
                redisHeartbeatMillis,
                r.integer("PUSH_HANDSHAKE_TIMEOUT_MS", 5000, 100, 600_000),
                connectTokenMaxTtlSeconds,
                r.integer("PUSH_ADMIN_READ_TIMEOUT_MS", 5000, 100, 600_000));
    }

    /** True when every Origin is accepted. */
    public boolean anyOrigin() {
        return allowedOrigins.contains("*");
    }

    @Override
    public String toString() { // never print secrets
        return "ServerConfig[ws=" + wsHost + ":" + wsPort + ", admin=" + adminHost + ":" + adminPort
                + ", node=" + nodeId + ", redis=" + (redisUri == null ? "none" : "set")
                + ", ping=" + pingIntervalSeconds + "s, origins=" + allowedOrigins
                + ", maxConnections=" + maxConnections + ", connectToken=" + (connectSecret != null) + "]";
    }

    private static String randomNodeId() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
