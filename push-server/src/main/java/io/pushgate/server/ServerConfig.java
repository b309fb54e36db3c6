package io.pushgate.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Everything the push-server reads from its environment, validated once at start.
 *
 * <p>Every setting is an environment variable (see the README's configuration table). {@link #fromEnv(Map)}
 * collects every problem at once and throws a {@link ConfigException} naming each, so a misconfigured server
 * refuses to start with one clear message instead of failing later.
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
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(env, problems);
        String adminSecret = r.string("PUSH_ADMIN_SECRET", null);
        if (adminSecret == null) {
            problems.add("PUSH_ADMIN_SECRET is not set: the admin API needs a bearer secret "
                    + "(for example: export PUSH_ADMIN_SECRET=$(openssl rand -hex 32))");
        }
        String nodeId = r.string("PUSH_NODE_ID", null);
        if (nodeId == null) {
            nodeId = randomNodeId();
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            problems.add("PUSH_NODE_ID must be 1-32 letters, digits, '_' or '-', got '" + nodeId + "'");
        }
        String connectSecret = r.string("PUSH_CONNECT_SECRET", null);
        if (connectSecret != null && connectSecret.getBytes(StandardCharsets.UTF_8).length < MIN_CONNECT_SECRET_BYTES) {
            problems.add("PUSH_CONNECT_SECRET must be at least " + MIN_CONNECT_SECRET_BYTES
                    + " bytes for HS256");
        }
        String origins = r.string("PUSH_ALLOWED_ORIGINS", "*");
        Set<String> allowedOrigins = Arrays.stream(origins.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        ServerConfig config = new ServerConfig(
                r.string("PUSH_WS_HOST", "0.0.0.0"),
                r.integer("PUSH_WS_PORT", DEFAULT_WS_PORT, 0, 65535),
                r.string("PUSH_ADMIN_HOST", "127.0.0.1"),
                r.integer("PUSH_ADMIN_PORT", DEFAULT_ADMIN_PORT, 0, 65535),
                adminSecret,
                r.integer("PUSH_PING_INTERVAL_S", 25, 1, 3600),
                nodeId,
                r.string("PUSH_REDIS_URI", null),
                connectSecret,
                allowedOrigins.isEmpty() ? Set.of("*") : allowedOrigins,
                r.integer("PUSH_MAX_CONNECTIONS", 0, 0, Integer.MAX_VALUE),
                r.integer("PUSH_ADMIN_MAX_BODY_BYTES", 1 << 20, 1024, 64 << 20),
                r.integer("PUSH_MAX_QUEUED_BYTES", 1 << 20, 4096, 256 << 20),
                r.string("PUSH_REDIS_PREFIX", "pushgate:"),
                r.integer("PUSH_REDIS_HEARTBEAT_MS", 1000, 50, 60_000),
                r.integer("PUSH_HANDSHAKE_TIMEOUT_MS", 5000, 100, 600_000),
                r.integer("PUSH_CONNECT_TOKEN_MAX_TTL_S", 86_400, 60, 31_536_000),
                r.integer("PUSH_ADMIN_READ_TIMEOUT_MS", 5000, 100, 600_000));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** A configuration for tests and embedding: ephemeral ports on loopback, the given secret. */
    public static ServerConfig forTesting(String adminSecret) {
        return fromEnv(Map.of(
                "PUSH_WS_HOST", "127.0.0.1", "PUSH_WS_PORT", "0",
                "PUSH_ADMIN_PORT", "0", "PUSH_ADMIN_SECRET", adminSecret));
    }

    /** True when every Origin is accepted. */
    public boolean anyOrigin() {
        return allowedOrigins.contains("*");
    }

    /** The same configuration on other ports (e.g. to restart a server where its clients will look for it). */
    public ServerConfig withPorts(int ws, int admin) {
        return new ServerConfig(wsHost, ws, adminHost, admin, adminSecret, pingIntervalSeconds, nodeId, redisUri,
                connectSecret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withPingIntervalSeconds(int seconds) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, seconds, nodeId, redisUri,
                connectSecret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withConnectSecret(String secret) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, nodeId,
                redisUri, secret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withAllowedOrigins(Set<String> origins) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, nodeId,
                redisUri, connectSecret, Set.copyOf(origins), maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withMaxConnections(int max) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, nodeId,
                redisUri, connectSecret, allowedOrigins, max, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withRedisUri(String uri, String node) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, node,
                uri, connectSecret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    /** Cluster mode with this key prefix and heartbeat period (see {@link #redisPrefix}). */
    public ServerConfig withRedis(String uri, String node, String prefix, int heartbeatMillis) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, node,
                uri, connectSecret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                prefix, heartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds,
                adminReadTimeoutMillis);
    }

    public ServerConfig withAdminReadTimeoutMillis(int millis) {
        return new ServerConfig(wsHost, wsPort, adminHost, adminPort, adminSecret, pingIntervalSeconds, nodeId,
                redisUri, connectSecret, allowedOrigins, maxConnections, maxAdminBodyBytes, maxQueuedBytes,
                redisPrefix, redisHeartbeatMillis, handshakeTimeoutMillis, connectTokenMaxTtlSeconds, millis);
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

    /** Thrown when the environment does not describe a server that can start. */
    public static final class ConfigException extends RuntimeException {
        private final List<String> problems;

        ConfigException(List<String> problems) {
            super("invalid configuration: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        String string(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        int integer(String name, int fallback, int min, int max) {
            String value = string(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a whole number, got '" + value + "'");
                return fallback;
            }
        }
    }
}
