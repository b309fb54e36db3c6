package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson3;
import io.pushgate.webapi.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How failures that reach the top of a handler are answered. A lock conflict is made for real, on the database:
 * a row held by one connection, and a second connection with a 1 s lock wait asking for it.
 */
class ErrorMappingTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static TestDatabase db;
    static Javalin app;

    @BeforeAll
    static void start() throws SQLException {
        db = TestDatabase.create();
        try (Connection c = DriverManager.getConnection(db.url(), "root", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE contended (id INT PRIMARY KEY)");
            s.execute("INSERT INTO contended VALUES (1)");
        }
        app = Javalin.create(c -> {
            c.jsonMapper(new JavalinJackson3(JSON, false));
            ErrorMapping.register(c.routes);
            c.routes.get("/lock-wait", ctx -> waitForAHeldRow());
            c.routes.get("/bug", ctx -> {
                throw new IllegalStateException("a bug");
            });
        }).start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        app.stop();
        db.close();
    }

    private static void waitForAHeldRow() throws SQLException {
        try (Connection holder = DriverManager.getConnection(db.url(), "root", "");
             Connection waiter = DriverManager.getConnection(db.url(), "root", "")) {
            holder.setAutoCommit(false);
            waiter.setAutoCommit(false);
            try (Statement h = holder.createStatement(); Statement w = waiter.createStatement()) {
                h.executeQuery("SELECT id FROM contended WHERE id = 1 FOR UPDATE").close();
                w.execute("SET SESSION innodb_lock_wait_timeout = 1");
                w.executeQuery("SELECT id FROM contended WHERE id = 1 FOR UPDATE").close(); // 1205 after 1 s
            } finally {
                holder.rollback();
            }
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLockConflictIs503WithRetryAfterNot500() throws Exception {
        HttpResponse<String> reply = get("/lock-wait");
        assertEquals(503, reply.statusCode(), reply.body());
        assertEquals("1", reply.headers().firstValue("Retry-After").orElse(null));
        JsonNode error = JSON.readTree(reply.body()).get("error");
        assertEquals("unavailable", error.get("code").asString());
    }

    @Test
    void anyOtherFailureIs500WithoutItsDetails() throws Exception {
        HttpResponse<String> reply = get("/bug");
        assertEquals(500, reply.statusCode());
        assertEquals("internal_error", JSON.readTree(reply.body()).get("error").get("code").asString());
        assertEquals("internal error", JSON.readTree(reply.body()).get("error").get("message").asString());
    }
}
