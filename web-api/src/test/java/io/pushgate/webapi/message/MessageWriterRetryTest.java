package io.pushgate.webapi.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.db.Database;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer against real lock conflicts, made by another connection to the same database as another web-api
 * instance (or an operator's transaction) would: a lock-wait timeout and a deadlock are retried, and a batch
 * that keeps losing is answered 503 with Retry-After while reads go on being served.
 */
class MessageWriterRetryTest {
    static TestStack stack;
    static ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() {
        stack = TestStack.start();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        stack.close();
    }

    /** A connection of its own, in a transaction, as another writer's would be. */
    private static Connection otherTransaction() throws SQLException {
        Connection c = DriverManager.getConnection(stack.db.url(), "root", "");
        c.setAutoCommit(false);
        return c;
    }

    private static void holdStreamLock(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeQuery("SELECT id FROM message_stream WHERE id = 1 FOR UPDATE").close();
        }
    }

    /** Polls {@code condition} every {@code everyMs} for up to 10 s: state of the writer or the database. */
    private static void await(String what, long everyMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(everyMs); // there is no event to wait on
        }
    }

    private static MessageWriter.Row row(User from, User to, String content) {
        return new MessageWriter.Row(ConversationKey.pair(from.uid, to.uid), from.uid, from.uid, to.uid, null, "text",
                content, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    private static boolean stored(long id, String content) {
        List<Message> found = stack.api.jdbi().onDemand(MessageDao.class).findAll(List.of(id));
        return found.size() == 1 && found.get(0).content().equals(content);
    }

    @Test
    void aBatchThatTimesOutWaitingForTheStreamLockIsRetriedAndStoredOnceTheLockIsFree() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        try (MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(10), true);
             Connection other = otherTransaction()) {
            holdStreamLock(other);
            Future<Long> id = pool.submit(() -> writer.insert(row(a, b, "after a lock wait")));
            await("the writer's first attempt times out on the lock (1205)", 10, () -> writer.retries() >= 1);
            assertTrue(!id.isDone(), "answered while the lock was held");
            other.rollback();
            long stored = id.get(5, TimeUnit.SECONDS);
            assertTrue(stored(stored, "after a lock wait"));
        }
    }

    /**
     * Another transaction holds a user row the writer's foreign key check needs, the writer holds the stream
     * lock, then the other asks for the stream lock: InnoDB sees the cycle and rolls back the lighter transaction,
     * the writer's (the other has modified many rows).
     */
    @Test
    void aBatchRolledBackByADeadlockIsRetriedAndStored() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        try (MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(10), true);
             Connection other = otherTransaction()) {
            try (PreparedStatement lockUser = other.prepareStatement("UPDATE users SET nickname = ? WHERE uid = ?");
                 PreparedStatement weigh = other.prepareStatement(
                         "INSERT INTO read_positions (uid, conversation, up_to_id) VALUES (?, ?, 1)")) {
                lockUser.setString(1, "held by another transaction");
                lockUser.setLong(2, b.uid);
                lockUser.executeUpdate();
                for (int i = 0; i < 50; i++) { // undo records: InnoDB rolls back the transaction that did less
                    weigh.setLong(1, a.uid);
                    weigh.setString(2, "g:" + (1_000_000 + i));
                    weigh.executeUpdate();
                }
            }
            long before = writer.retries();
            Future<Long> id = pool.submit(() -> writer.insert(row(a, b, "after a deadlock")));
            // MariaDB refreshes innodb_trx only when it was last read over 100 ms ago: faster polls see a stale copy
            await("the writer waits for the user row, holding the stream lock", 150, () -> lockWaits() >= 1);
            Future<?> cycle = pool.submit(() -> {
                holdStreamLock(other); // waits for the writer: a deadlock, and the writer is rolled back
                other.rollback();
                return null;
            });
            cycle.get(5, TimeUnit.SECONDS);
            long stored = id.get(5, TimeUnit.SECONDS);
            assertTrue(stored(stored, "after a deadlock"));
            assertEquals(before + 1, writer.retries());
        }
    }

    private static int lockWaits() {
        return stack.api.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'")
                .mapTo(Integer.class).one());
    }

    @Test
    void aSendThatKeepsLosingTheLockIs503WithRetryAfterAndReadsAreServedMeanwhile() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        assertEquals(201, a.send(Map.of("to_uid", b.uid, "type", "text", "content", "before")).status());
        try (Connection other = otherTransaction()) {
            holdStreamLock(other);
            Future<Reply> send = pool.submit(() -> a.send(Map.of("to_uid", b.uid, "type", "text", "content", "x")));
            long started = System.nanoTime();
            Reply sync = b.get("/api/sync?after=0");
            assertEquals(200, sync.status(), sync.toString());
            assertEquals(1, sync.body().get("messages").size());
            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1), "a read waited for the lock");

            Reply refused = send.get(10, TimeUnit.SECONDS);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertEquals(503, refused.status(), refused.toString());
            assertEquals("unavailable", refused.errorCode());
            assertNotNull(refused.headers().get("Retry-After"));
            assertTrue(took < MessageWriter.WAIT.toMillis() + 1000, "answered after " + took + " ms");
            other.rollback();
        }
        Reply after = a.send(Map.of("to_uid", b.uid, "type", "text", "content", "after"));
        assertEquals(201, after.status(), after.toString());
        Reply sync = b.get("/api/sync?after=0");
        assertEquals(List.of("before", "after"), sync.body().get("messages").valueStream()
                .map(m -> m.get("content").asString()).toList());
    }

    /**
     * A writer frozen inside its batch (its process stopped) holds the stream lock, so another instance's sends
     * are refused (503) meanwhile; the database drops the frozen connection after the writer's idle timeout,
     * freeing the lock, and the other instance's sends are stored again.
     */
    @Test
    void aWriterFrozenInsideItsBatchLosesTheStreamLockAfterItsIdleTimeout() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        User aOnOther = a.via(stack.startInstance(Map.of()));
        Handle frozen = stack.api.writerJdbi().open(); // the writer's connection, with its session settings
        try {
            assertEquals(Database.WRITER_IDLE_TIMEOUT_SECONDS, frozen.createQuery("SELECT @@session.idle_transaction_timeout")
                    .mapTo(Integer.class).one());
            frozen.begin();
            frozen.createQuery("SELECT id FROM message_stream WHERE id = 1 FOR UPDATE").mapTo(Long.class).one();
            long started = System.nanoTime(); // from now on it says nothing, as a stopped process would
            long deadline = started + TimeUnit.SECONDS.toNanos(Database.WRITER_IDLE_TIMEOUT_SECONDS + 10);
            Reply reply;
            do {
                assertTrue(System.nanoTime() < deadline, "no send stored within the idle timeout and 10 s");
                reply = aOnOther.send(Map.of("to_uid", b.uid, "type", "text", "content", "past the frozen writer"));
                assertTrue(reply.status() == 201 || reply.status() == 503, reply.toString());
            } while (reply.status() != 201);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= (Database.WRITER_IDLE_TIMEOUT_SECONDS - 1) * 1000L,
                    "stored after " + waited + " ms, while the frozen writer should still hold the lock");
            assertTrue(stored(reply.body().path("message").path("id").asLong(), "past the frozen writer"),
                    reply.toString());
        } finally {
            try {
                frozen.close();
            } catch (RuntimeException dropped) {
                // the database dropped the frozen connection, which is the point: rolling it back fails
            }
        }
    }
    /**
     * The writer's connection leaves autocommit off, so a batch costs no {@code SET autocommit} round trips
     * around its transaction; between batches it is in no transaction, so the idle timeout that ends a frozen
     * batch does not end a connection that merely waits for the next one.
     */
    @Test
    void theWritersConnectionOutlivesItsIdleTimeoutBetweenBatches() throws Exception {
        long connection;
        try (Handle writer = stack.api.writerJdbi().open()) {
            assertFalse(writer.getConnection().getAutoCommit(), "the writer's pool should leave autocommit off");
            writer.begin();
            connection = writer.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one();
            writer.commit();
        }
        try (Handle observer = stack.api.jdbi().open()) { // waits until the database has seen it idle that long
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Database.WRITER_IDLE_TIMEOUT_SECONDS + 10);
            int idle;
            do {
                assertTrue(System.nanoTime() < deadline, "the writer's connection was not idle for long enough");
                idle = observer.createQuery("SELECT COALESCE(MAX(TIME), -1) FROM information_schema.PROCESSLIST "
                        + "WHERE ID = :id").bind("id", connection).mapTo(Integer.class).one();
                assertTrue(idle >= 0, "the database dropped the writer's idle connection");
            } while (idle <= Database.WRITER_IDLE_TIMEOUT_SECONDS);
        }
        try (Handle writer = stack.api.writerJdbi().open()) {
            writer.begin();
            assertEquals(connection, writer.createQuery("SELECT CONNECTION_ID()").mapTo(Long.class).one());
            writer.commit();
        }
    }
}
