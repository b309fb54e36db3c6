package io.pushgate.webapi.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool and Jdbi over it, after the schema in {@code db/migration} (the top-level {@code sql/}
 * folder) has been applied with Flyway.
 *
 * <p>Timeouts are short on purpose: with the database gone a request fails within a second (503) instead of
 * hanging, and the pool reconnects by itself when the database returns. Migrations run over their own connection
 * without the socket timeout, since a schema change may legitimately take longer.
 *
 * <p>The message writer has a pool of its own ({@link #writerJdbi()}): one connection whose lock waits end after
 * {@link #WRITER_LOCK_WAIT_SECONDS} with MySQL's 1205, which it retries, and whose socket timeout is longer than
 * that, so that such a wait ends with the server's answer rather than a broken connection; MariaDB drops it
 * after {@link #WRITER_IDLE_TIMEOUT_SECONDS} of silence inside a transaction, so a writer frozen inside a batch
 * cannot hold the stream lock for longer. These are set once per connection, not per transaction, and the request pool keeps its own
 * settings.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    /** How long a request waits for a pooled connection before it is answered 503. */
    static final long CONNECTION_TIMEOUT_MS = 500;
    /** How long one statement may wait on the network; longer means the database is unreachable. */
    static final int SOCKET_TIMEOUT_MS = 1000;
    /**
     * How long the pool's background thread may take to open a connection (TCP and login). Requests never wait
     * on it longer than {@link #CONNECTION_TIMEOUT_MS}; a slow, busy server still gets its connections made.
     */
    static final int CONNECT_TIMEOUT_MS = 5000;
    /**
     * How long the message writer waits for a row lock (another instance's batch holding the stream lock) before
     * its statement fails with 1205: the least MySQL allows. A batch holds the lock for milliseconds.
     */
    public static final int WRITER_LOCK_WAIT_SECONDS = 1;
    /**
     * How long the database keeps the message writer's connection while it sits silent inside a transaction
     * (MariaDB's {@code idle_transaction_timeout}). A writer whose process freezes inside a batch (SIGSTOP, a long
     * GC pause, a lost network) holds the stream lock, and so stops every instance's sends; the database drops
     * such a connection, rolling the batch back and freeing the lock, after this long. Between batches the
     * connection may idle as long as any other.
     */
    public static final int WRITER_IDLE_TIMEOUT_SECONDS = 5;
    /** The message writer's socket timeout: its lock wait and a second. */
    static final int WRITER_SOCKET_TIMEOUT_MS = WRITER_LOCK_WAIT_SECONDS * 1000 + 1000;

    private final HikariDataSource dataSource;
    private final HikariDataSource writerSource;
    private final Jdbi jdbi;
    private final Jdbi writerJdbi;

    private Database(HikariDataSource dataSource, HikariDataSource writerSource) {
        this.dataSource = dataSource;
        this.writerSource = writerSource;
        this.jdbi = jdbiOver(dataSource);
        this.writerJdbi = jdbiOver(writerSource);
    }

    private static Jdbi jdbiOver(HikariDataSource source) {
        Jdbi jdbi = Jdbi.create(source).installPlugin(new SqlObjectPlugin());
        jdbi.registerArgument(new InstantAsUtcText());
        return jdbi;
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

    /** Migrates the schema, then opens the pools. Throws if the database cannot be reached. */
    public static Database open(String url, String user, String password, int poolSize) {
        Flyway.configure()
                .dataSource(url, user, password)
                .connectRetries(0)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        HikariDataSource requests = new HikariDataSource(pool("web-api", url, user, password, poolSize,
                SOCKET_TIMEOUT_MS));
        try {
            HikariConfig writer = pool("web-api-writer", url, user, password, 1, WRITER_SOCKET_TIMEOUT_MS);
            writer.setConnectionInitSql(writerSessionSql(isMariaDb(requests)));
            writer.setAutoCommit(false); // every use is a transaction: no SET autocommit round trips around each

            return new Database(requests, new HikariDataSource(writer));
        } catch (RuntimeException e) {
            requests.close();
            throw e;
        }
    }

    /**
     * The writer's session settings: its short lock wait, and on MariaDB a bound on how long it may sit silent
     * inside a transaction. MySQL has no such bound short of {@code wait_timeout}, which would also drop the
     * connection between batches; there a frozen writer keeps the lock until TCP or {@code wait_timeout} ends its
     * connection.
     */
    static String writerSessionSql(boolean mariaDb) {
        return "SET SESSION innodb_lock_wait_timeout = " + WRITER_LOCK_WAIT_SECONDS
                + (mariaDb ? ", idle_transaction_timeout = " + WRITER_IDLE_TIMEOUT_SECONDS : "");
    }

    private static boolean isMariaDb(HikariDataSource source) {
        try (Connection c = source.getConnection()) {
            boolean mariaDb = c.getMetaData().getDatabaseProductVersion().toLowerCase(Locale.ROOT).contains("mariadb");
            if (!mariaDb) {
                log.info("MySQL: a message writer frozen inside a batch holds the stream lock until its connection "
                        + "ends (MariaDB's idle_transaction_timeout would end it after {} s)",
                        WRITER_IDLE_TIMEOUT_SECONDS);
            }
            return mariaDb;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the database: " + e.getMessage(), e);
        }
    }

    private static HikariConfig pool(String name, String url, String user, String password, int size,
                                     int socketTimeoutMs) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(size);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setValidationTimeout(250);
        hikari.setInitializationFailTimeout(2L * CONNECT_TIMEOUT_MS);
        hikari.setDataSourceProperties(driverProperties(socketTimeoutMs));
        return hikari;
    }

    /** Connector/J settings: UTC on the wire, utf8mb4, short network timeouts, cached prepared statements. */
    private static Properties driverProperties(int socketTimeoutMs) {
        Properties p = new Properties();
        p.setProperty("connectionTimeZone", "UTC");
        p.setProperty("forceConnectionTimeZoneToSession", "true");
        p.setProperty("characterEncoding", "UTF-8");
        p.setProperty("connectionCollation", "utf8mb4_unicode_ci");
        p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_MS));
        p.setProperty("socketTimeout", String.valueOf(socketTimeoutMs));
        p.setProperty("cachePrepStmts", "true");
        p.setProperty("prepStmtCacheSize", "250");
        p.setProperty("prepStmtCacheSqlLimit", "2048");
        p.setProperty("useLocalSessionState", "true");
        p.setProperty("cacheServerConfiguration", "true");
        p.setProperty("elideSetAutoCommits", "true");
        p.setProperty("maintainTimeStats", "false");
        return p;
    }

    /** The request threads' pool. */
    public Jdbi jdbi() {
        return jdbi;
    }

    /** The message writer's pool: one connection, lock waits of {@link #WRITER_LOCK_WAIT_SECONDS}. */
    public Jdbi writerJdbi() {
        return writerJdbi;
    }

    @Override
    public void close() {
        writerSource.close();
        dataSource.close();
    }
}
