package io.pushgate.webapi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything web-api reads from its environment, validated once at start.
 *
 * <p>{@link #fromEnv(Map)} collects every problem at once and throws a {@link ConfigException} naming each, so a
 * misconfigured app refuses to start with one clear message. The variables and their defaults are listed in the
 * README's "web-api configuration" table.
 *
 * @param host                 API_HOST, default {@code 0.0.0.0}
 * @param port                 API_PORT, default 8080; 0 picks a free port
 * @param dbUrl                DB_URL ({@code jdbc:mysql://…}); {@code null} starts the embedded MariaDB in {@code dataDir}
 * @param dbUser               DB_USER, default {@code root}
 * @param dbPassword           DB_PASSWORD, default empty
 * @param dataDir              DATA_DIR, default {@code ./data}: the embedded database's files
 * @param pushAdminUrls        PUSH_ADMIN_URLS, default {@code http://127.0.0.1:8283}; comma-separated
 * @param pushAdminSecret      PUSH_ADMIN_SECRET, required
 * @param publicWsUrls         PUSH_PUBLIC_WS_URL, default {@code ws://localhost:8282/}: what pages connect to, one
 *                             URL or several comma-separated (one per push-server node; pages fail over between them)
 * @param uploadStore          UPLOAD_STORE, default {@code database}: where images are kept, {@code database} (shared
 *                             by every instance on the database) or {@code directory} (UPLOAD_DIR, which every
 *                             instance must then mount)
 * @param uploadDir            UPLOAD_DIR, default {@code ./data/uploads}: the directory of UPLOAD_STORE=directory
 * @param demoData             DEMO_DATA, default true with the embedded database, false otherwise
 * @param rateLimitPerSecond   RATE_LIMIT_PER_SECOND, default 5: messages a user may send per second, sustained
 * @param rateLimitBurst       RATE_LIMIT_BURST, default 20: messages a user may send at once
 * @param sessionTtlHours      SESSION_TTL_HOURS, default 168 (a week)
 * @param loginAttemptsPerUsername LOGIN_ATTEMPTS_PER_USERNAME, default 5: login attempts per username at once
 * @param loginAttemptsPerAddress  LOGIN_ATTEMPTS_PER_ADDRESS, default 20: login attempts per client address at once
 * @param readTimeoutMs        API_READ_TIMEOUT_MS, default 5000: how long a request's headers may take to arrive,
 *                             and how long a connection may stay silent
 * @param minReadRate          API_MIN_READ_BYTES_PER_SECOND, default 256: a request body arriving slower is cut
 * @param redisUrl             REDIS_URL, default unset: {@code redis://host:6379/0} puts the rate limits in Redis,
 *                             shared by every instance; unset keeps them in this instance's memory
 * @param redisKeyPrefix       REDIS_KEY_PREFIX, default {@code pushgate-web:}: the start of every key web-api writes
 */
public record WebApiConfig(
        String host,
        int port,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Path dataDir,
        List<String> pushAdminUrls,
        String pushAdminSecret,
        List<String> publicWsUrls,
        UploadStoreKind uploadStore,
        Path uploadDir,
        boolean demoData,
        double rateLimitPerSecond,
        int rateLimitBurst,
        int sessionTtlHours,
        int loginAttemptsPerUsername,
        int loginAttemptsPerAddress,
        int readTimeoutMs,
        int minReadRate,
        String redisUrl,
        String redisKeyPrefix) {

    public static final int DEFAULT_PORT = 8080;

    /** Where uploaded images are kept (UPLOAD_STORE). */
    public enum UploadStoreKind { DATABASE, DIRECTORY }

    /** Reads and validates the configuration; throws {@link ConfigException} listing every problem. */
    public static WebApiConfig fromEnv(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(env, problems);
        String dbUrl = r.string("DB_URL", null);
        if (dbUrl != null && !dbUrl.startsWith("jdbc:mysql:") && !dbUrl.startsWith("jdbc:mariadb:")) {
            problems.add("DB_URL must be a jdbc:mysql:// URL of a MySQL 8 or MariaDB 10.6+ database, got '"
                    + dbUrl + "'");
        }
        String secret = r.string("PUSH_ADMIN_SECRET", null);
        if (secret == null) {
            problems.add("PUSH_ADMIN_SECRET is not set: web-api needs the push-server's admin secret "
                    + "(the same value the push-server was started with)");
        }
        List<String> adminUrls = r.urls("PUSH_ADMIN_URLS", "http://127.0.0.1:8283", "http", "https");
        List<String> wsUrls = r.urls("PUSH_PUBLIC_WS_URL", "ws://localhost:8282/", "ws", "wss");
        Path dataDir = Path.of(r.string("DATA_DIR", "./data"));
        String uploadStore = r.string("UPLOAD_STORE", "database");
        if (!uploadStore.equals("database") && !uploadStore.equals("directory")) {
            problems.add("UPLOAD_STORE must be database or directory, got '" + uploadStore + "'");
            uploadStore = "database";
        }
        String redisUrl = r.string("REDIS_URL", null);
        if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            problems.add("REDIS_URL must be a redis:// or rediss:// URL, got '" + redisUrl + "'");
        }
        WebApiConfig config = new WebApiConfig(
                r.string("API_HOST", "0.0.0.0"),
                r.integer("API_PORT", DEFAULT_PORT, 0, 65535),
                dbUrl,
                r.string("DB_USER", "root"),
                env.getOrDefault("DB_PASSWORD", ""),
                dataDir,
                adminUrls,
                secret,
                wsUrls,
                UploadStoreKind.valueOf(uploadStore.toUpperCase(java.util.Locale.ROOT)),
                Path.of(r.string("UPLOAD_DIR", dataDir.resolve("uploads").toString())),
                r.bool("DEMO_DATA", dbUrl == null),
                r.decimal("RATE_LIMIT_PER_SECOND", 5, 0.01, 1_000_000),
                r.integer("RATE_LIMIT_BURST", 20, 1, 1_000_000),
                r.integer("SESSION_TTL_HOURS", 168, 1, 24 * 366),
                r.integer("LOGIN_ATTEMPTS_PER_USERNAME", 5, 1, 1_000_000),
                r.integer("LOGIN_ATTEMPTS_PER_ADDRESS", 20, 1, 1_000_000),
                r.integer("API_READ_TIMEOUT_MS", 5000, 100, 600_000),
                r.integer("API_MIN_READ_BYTES_PER_SECOND", 256, 1, 1_000_000_000),
                redisUrl,
                r.string("REDIS_KEY_PREFIX", "pushgate-web:"));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /**
     * A configuration for tests and embedding: a free port on loopback, the given database and push-server, no
     * demo data unless the overrides ask for it. {@code overrides} are further environment variables.
     */
    public static WebApiConfig forTesting(String dbUrl, String pushAdminUrl, String secret, Path uploadDir,
                                          Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(Map.of(
                "API_HOST", "127.0.0.1", "API_PORT", "0",
                "DB_URL", dbUrl, "PUSH_ADMIN_URLS", pushAdminUrl, "PUSH_ADMIN_SECRET", secret,
                "UPLOAD_DIR", uploadDir.toString()));
        env.putAll(overrides);
        return fromEnv(env);
    }

    /** The first of {@link #publicWsUrls}: the one URL pages that know no list connect to. */
    public String publicWsUrl() {
        return publicWsUrls.get(0);
    }

    /** True when web-api starts its own embedded MariaDB. */
    public boolean embeddedDatabase() {
        return dbUrl == null;
    }

    /** The database, for logs: the URL without its query string (which may carry a password). */
    public String databaseForLogs() {
        return dbUrl == null ? "embedded in " + dataDir
                : dbUrl.contains("?") ? dbUrl.substring(0, dbUrl.indexOf('?')) + "?…" : dbUrl;
    }

    @Override
    public String toString() { // never print secrets
        return "WebApiConfig[" + host + ":" + port + ", db=" + databaseForLogs()
                + ", push=" + pushAdminUrls + ", ws=" + publicWsUrls + ", uploads=" + uploadStore + " " + uploadDir
                + ", demoData=" + demoData + ", rateLimit=" + rateLimitPerSecond + "/s burst " + rateLimitBurst
                + ", rateLimits in " + (redisUrl == null ? "memory" : "Redis") + "]"; // the URL may hold a password
    }

    /** Thrown when the environment does not describe an app that can start. */
    public static final class ConfigException extends RuntimeException {
        private final List<String> problems;

        ConfigException(List<String> problems) {
            super("invalid configuration: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        /** One sentence per problem. */
        public List<String> problems() {
            return problems;
        }
    }

    private record Reader(Map<String, String> env, List<String> problems) {
        String string(String name, String fallback) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        /** A comma-separated list of URLs, each trimmed, empty entries dropped; at least one, each of a scheme. */
        List<String> urls(String name, String fallback, String... schemes) {
            List<String> urls = Arrays.stream(string(name, fallback).split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            List<String> prefixes = Arrays.stream(schemes).map(scheme -> scheme + "://").toList();
            for (String url : urls) {
                if (prefixes.stream().noneMatch(url::startsWith)) {
                    problems.add(name + " must be " + String.join(" or ", prefixes) + " URLs, got '" + url + "'");
                }
            }
            if (urls.isEmpty()) {
                problems.add(name + " is empty");
            }
            return urls;
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

        double decimal(String name, double fallback, double min, double max) {
            String value = string(name, null);
            if (value == null) {
                return fallback;
            }
            try {
                double parsed = Double.parseDouble(value);
                if (!(parsed >= min && parsed <= max)) {
                    problems.add(name + " must be between " + min + " and " + max + ", got " + value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                problems.add(name + " must be a number, got '" + value + "'");
                return fallback;
            }
        }

        boolean bool(String name, boolean fallback) {
            String value = string(name, null);
            if (value == null) {
                return fallback;
            }
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> true;
                case "false", "0", "no" -> false;
                default -> {
                    problems.add(name + " must be true or false, got '" + value + "'");
                    yield fallback;
                }
            };
        }
    }
}
