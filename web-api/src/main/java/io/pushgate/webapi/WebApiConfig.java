package io.pushgate.webapi;

import io.pushgate.config.ConfigException;
import io.pushgate.config.EnvReader;
import io.pushgate.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything web-api reads from its environment, validated once at start.
 *
 * <p>{@link #fromEnv(Map)} collects every problem at once and throws a {@link ConfigException} naming each, so a
 * misconfigured app refuses to start with one clear message. Each variable is read once in {@code read} with its
 * default and allowed values; {@link #settings()} lists them, and the README's "web-api configuration" table is
 * checked against that list. Tests build theirs with {@link #forTesting}.
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
 * @param uploadDir            UPLOAD_DIR, default {@code uploads} in DATA_DIR: the directory of UPLOAD_STORE=directory
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
        return EnvReader.read(env, WebApiConfig::read);
    }

    /** Every variable {@link #fromEnv} reads, with its default and allowed values (the README's table). */
    public static List<Setting> settings() {
        return EnvReader.declaredBy(WebApiConfig::read);
    }

    /**
     * A configuration for tests and embedding: the production defaults, but a free port on loopback, the given
     * database, push-server and upload directory, and {@code overrides} (further environment variables) on top.
     */
    public static WebApiConfig forTesting(String dbUrl, String pushAdminUrl, String secret, Path uploadDir,
                                          Map<String, String> overrides) {
        return fromEnv(EnvReader.overriding(Map.of(
                "API_HOST", "127.0.0.1", "API_PORT", "0",
                "DB_URL", dbUrl, "PUSH_ADMIN_URLS", pushAdminUrl, "PUSH_ADMIN_SECRET", secret,
                "UPLOAD_DIR", uploadDir.toString()), overrides));
    }

    private static WebApiConfig read(EnvReader r) {
        String host = r.string("API_HOST", "0.0.0.0", "a host name or IP address");
        int port = r.integer("API_PORT", DEFAULT_PORT, 0, 65535);
        String dbUrl = r.string("DB_URL", null, "unset = embedded MariaDB in DATA_DIR",
                "a jdbc:mysql:// or jdbc:mariadb:// URL");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:mysql:") && !dbUrl.startsWith("jdbc:mariadb:")) {
            r.problem("DB_URL must be a jdbc:mysql:// URL of a MySQL 8 or MariaDB 10.6+ database, got '"
                    + dbUrl + "'");
        }
        String dbUser = r.string("DB_USER", "root", "any text");
        String dbPassword = r.verbatim("DB_PASSWORD", "empty", "any text");
        Path dataDir = Path.of(r.string("DATA_DIR", "./data", "a directory"));
        List<String> adminUrls = r.urls("PUSH_ADMIN_URLS", "http://127.0.0.1:8283", "http", "https");
        String secret = r.required("PUSH_ADMIN_SECRET", "any text",
                "web-api needs the push-server's admin secret (the same value the push-server was started with)");
        List<String> wsUrls = r.urls("PUSH_PUBLIC_WS_URL", "ws://localhost:8282/", "ws", "wss");
        UploadStoreKind uploadStore = r.oneOf("UPLOAD_STORE", UploadStoreKind.DATABASE, UploadStoreKind.class);
        Path uploadDir = Path.of(r.string("UPLOAD_DIR", dataDir.resolve("uploads").toString(),
                "DATA_DIR/uploads", "a directory"));
        String redisUrl = r.string("REDIS_URL", null, "unset = rate limits in this instance's memory",
                "a redis:// or rediss:// URL");
        if (redisUrl != null && !redisUrl.startsWith("redis://") && !redisUrl.startsWith("rediss://")) {
            r.problem("REDIS_URL must be a redis:// or rediss:// URL, got '" + redisUrl + "'");
        }
        String redisKeyPrefix = r.string("REDIS_KEY_PREFIX", "pushgate-web:", "any text");
        return new WebApiConfig(host, port, dbUrl, dbUser, dbPassword, dataDir, adminUrls, secret, wsUrls,
                uploadStore, uploadDir,
                r.bool("DEMO_DATA", dbUrl == null, "true with the embedded database, else false"),
                r.decimal("RATE_LIMIT_PER_SECOND", 5, 0.01, 1_000_000),
                r.integer("RATE_LIMIT_BURST", 20, 1, 1_000_000),
                r.integer("SESSION_TTL_HOURS", 168, 1, 24 * 366),
                r.integer("LOGIN_ATTEMPTS_PER_USERNAME", 5, 1, 1_000_000),
                r.integer("LOGIN_ATTEMPTS_PER_ADDRESS", 20, 1, 1_000_000),
                r.integer("API_READ_TIMEOUT_MS", 5000, 100, 600_000),
                r.integer("API_MIN_READ_BYTES_PER_SECOND", 256, 1, 1_000_000_000),
                redisUrl, redisKeyPrefix);
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
}
