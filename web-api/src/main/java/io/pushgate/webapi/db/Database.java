package io.pushgate.webapi.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The connection pool and Jdbi over it, after the schema in {@code db/migration} (the top-level {@code sql/}
 * folder) has been applied with Flyway.
 *
 * <p>Timeouts are short on purpose: with the database gone a request fails within a second (503) instead of
 * hanging, and the pool reconnects by itself when the database returns. Migrations run over their own connection
 * without the socket timeout, since a schema change may legitimately take longer.
 */
public final class Database implements AutoCloseable {
    /** How long a request waits for a pooled connection before it is answered 503. */
    static final long CONNECTION_TIMEOUT_MS = 500;
    /** How long one statement may wait on the network; longer means the database is unreachable. */
    static final int SOCKET_TIMEOUT_MS = 1000;
    /**
     * How long the pool's background thread may take to open a connection (TCP and login). Requests never wait
     * on it longer than {@link #CONNECTION_TIMEOUT_MS}; a slow, busy server still gets its connections made.
     */
    static final int CONNECT_TIMEOUT_MS = 5000;

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new InstantAsUtcText());
    }

    /**
     * Binds an {@link Instant} as UTC text with milliseconds. Connector/J drops the fraction of a bound timestamp
     * on MariaDB (it takes the server for a MySQL 5.5 from its {@code 5.5.5-} version prefix); text keeps it.
     */
    private static final class InstantAsUtcText extends AbstractArgumentFactory<Instant> {
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

        InstantAsUtcText() {
            super(Types.VARCHAR);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            String text = FORMAT.format(value);
            return (position, statement, ctx) -> statement.setString(position, text);
        }
    }

    /** Migrates the schema, then opens the pool. Throws if the database cannot be reached. */
    public static Database open(String url, String user, String password, int poolSize) {
        Flyway.configure()
                .dataSource(url, user, password)
                .connectRetries(0)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("web-api");
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setValidationTimeout(250);
        hikari.setInitializationFailTimeout(2L * CONNECT_TIMEOUT_MS);
        hikari.setDataSourceProperties(driverProperties());
        return new Database(new HikariDataSource(hikari));
    }

    /** Connector/J settings: UTC on the wire, utf8mb4, short network timeouts, cached prepared statements. */
    private static Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("connectionTimeZone", "UTC");
        p.setProperty("forceConnectionTimeZoneToSession", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("connectionCollation", "utf8mb4_unicode_ci");
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS));
        p.setProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_MS));
        p.setProperty("cachePrepStmts", "true");
        p.setProperty("prepStmtCacheSize", "250");
        p.setProperty("prepStmtCacheSqlLimit", "2048");
        p.setProperty("useLocalSessionState", "true");
        p.setProperty("cacheServerConfiguration", "true");
        p.setProperty("elideSetAutoCommits", "true");
        p.setProperty("maintainTimeStats", "false");
        return p;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
