package io.pushgate.webapi.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;

@StackTest.Settings({"RATE_LIMIT_BURST=1000", "RATE_LIMIT_PER_SECOND=1000"})
class MessageWriterTest extends StackTest {

    private static long maxId() {
        return stack.api.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM messages")
                .mapTo(Long.class).one());
    }

    @Test
    void concurrentSendsGetDistinctReadableIdsThatBecomeVisibleInOrder() throws Exception {
        int threads = 32;
        int perThread = 20;
        User to = stack.newUser("buyer");
        List<User> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            senders.add(stack.newUser("buyer"));
        }
        long base = maxId();
        AtomicBoolean sending = new AtomicBoolean(true);
        List<String> outOfOrder = new ArrayList<>();
        // the reader: an id that appears must be above every id seen before (else a sync after that id misses it)
        long readerDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Thread reader = new Thread(() -> {
            Set<Long> seen = new HashSet<>();
            long highest = base;
            while ((sending.get() || seen.isEmpty()) && System.nanoTime() - readerDeadline < 0) {
                List<Long> visible = stack.api.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id FROM messages WHERE id > :base ORDER BY id").bind("base", base)
                        .mapTo(Long.class).list());
                long before = highest;
                for (long id : visible) {
                    if (seen.add(id) && id < before) {
                        outOfOrder.add(id + " appeared after " + before);
                    }
                    highest = Math.max(highest, id);
                }
                if (!sending.get()) {
                    break;
                }
            }
        }, "id-order-reader");
        reader.start();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (User sender : senders) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    Reply sent = sender.send(Map.of("to_uid", to.uid, "type", "text", "content", "m" + i,
                            "client_msg_id", "w-" + sender.uid + "-" + i));
                    assertEquals(201, sent.status(), sent.toString());
                    assertTrue(ids.add(sent.body().get("message").get("id").asLong()), "duplicate id");
                }
                return null;
            }));
        }
        go.countDown();
        try {
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            sending.set(false);
            pool.shutdownNow();
            reader.join(10_000);
        }
        assertEquals(threads * perThread, ids.size());
        assertEquals(List.of(), outOfOrder);

        MessageDao dao = stack.api.jdbi().onDemand(MessageDao.class);
        List<Message> stored = dao.findAll(ids);
        assertEquals(ids.size(), stored.size());
        // every one is readable through the API too, and a replay answers with the stored id
        Set<Long> synced = new HashSet<>();
        long after = base;
        for (int pages = 0; ; pages++) {
            assertTrue(pages <= ids.size() / 500 + 1, "sync kept answering has_more");
            Reply sync = to.get("/api/sync?after=" + after + "&limit=500");
            assertEquals(200, sync.status(), sync.toString());
            for (var m : sync.body().get("messages")) {
                synced.add(m.get("id").asLong());
                after = Math.max(after, m.get("id").asLong());
            }
            if (!sync.body().get("has_more").asBoolean()) {
                break;
            }
        }
        assertEquals(ids, synced);
        User first = senders.get(0);
        Reply replay = first.send(Map.of("to_uid", to.uid, "type", "text", "content", "m0",
                "client_msg_id", "w-" + first.uid + "-0"));
        assertEquals(200, replay.status(), replay.toString());
        assertTrue(ids.contains(replay.body().get("message").get("id").asLong()));
    }

    @Test
    void aBadRecipientInABatchFailsAloneOverHttp() throws Exception {
        User to = stack.newUser("buyer");
        List<User> senders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            senders.add(stack.newUser("buyer"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(senders.size() + 1);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Reply>> good = new ArrayList<>();
        for (User sender : senders) {
            good.add(pool.submit(() -> {
                go.await();
                return sender.send(Map.of("to_uid", to.uid, "type", "text", "content", "ok"));
            }));
        }
        Future<Reply> bad = pool.submit(() -> {
            go.await();
            return senders.get(0).send(Map.of("to_uid", 999_999_999L, "type", "text", "content", "nobody"));
        });
        go.countDown();
        Reply badReply = bad.get(30, TimeUnit.SECONDS);
        assertEquals(404, badReply.status(), badReply.toString());
        assertEquals("not_found", badReply.errorCode());
        List<Long> ids = new ArrayList<>();
        for (Future<Reply> f : good) {
            Reply r = f.get(30, TimeUnit.SECONDS);
            assertEquals(201, r.status(), r.toString());
            ids.add(r.body().get("message").get("id").asLong());
        }
        assertEquals(ids.size(), stack.api.jdbi().onDemand(MessageDao.class).findAll(ids).size());
        pool.shutdownNow();
    }

    /** Queues {@code rows} on a held writer in this order, each from a thread of {@code pool}; their ids to come. */
    private static List<Future<Long>> queuedInOrder(MessageWriter writer, ExecutorService pool,
                                                    List<MessageWriter.Row> rows) throws InterruptedException {
        List<Future<Long>> results = new ArrayList<>();
        for (MessageWriter.Row row : rows) {
            results.add(pool.submit(() -> writer.insert(row)));
            awaitQueued(writer, results.size()); // queue in this order
        }
        return results;
    }

    /** Waits until {@code writer} holds {@code rows} queued rows; fails after 10 s instead of hanging the run. */
    private static void awaitQueued(MessageWriter writer, int rows) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writer.queued() < rows) {
            if (System.nanoTime() - deadline > 0) {
                fail("the writer queued " + writer.queued() + " of " + rows + " rows within 10 s");
            }
            Thread.sleep(1); // polling the queue, bounded by the deadline above
        }
    }

    /** The writer is held until the rows are queued, so they certainly share one transaction. */
    @Test
    void rowsTheDatabaseRefusesFailAloneInTheirBatch() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String pair = ConversationKey.pair(a.uid, b.uid);
        List<MessageWriter.Row> rows = List.of(
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "one", null, now),
                new MessageWriter.Row(ConversationKey.pair(a.uid, 999_999_999L), a.uid, a.uid, 999_999_999L, null,
                        "text", "to nobody", null, now),
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "two", "dup-" + a.uid, now),
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "two again", "dup-" + a.uid, now),
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "three", null, now));
        try (MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(10), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(rows.size());
            List<Future<Long>> results = queuedInOrder(writer, pool, rows);
            writer.start();
            long one = results.get(0).get(10, TimeUnit.SECONDS);
            long two = results.get(2).get(10, TimeUnit.SECONDS);
            long three = results.get(4).get(10, TimeUnit.SECONDS);
            assertTrue(one < two && two < three, one + " " + two + " " + three);
            for (int failing : new int[] {1, 3}) {
                var e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> results.get(failing).get(10, TimeUnit.SECONDS));
                var statement = assertInstanceOf(UnableToExecuteStatementException.class, e.getCause());
                var violation = assertInstanceOf(SQLIntegrityConstraintViolationException.class,
                        statement.getCause());
                assertEquals(failing == 1 ? 1452 : 1062, violation.getErrorCode());
            }
            pool.shutdownNow();
            List<Message> stored = stack.api.jdbi().onDemand(MessageDao.class).findAll(List.of(one, two, three));
            assertEquals(new TreeSet<>(List.of("one", "two", "three")),
                    new TreeSet<>(stored.stream().map(Message::content).toList()));
        }
    }

    /** A row whose client_msg_id is already stored is answered with the stored id; the rest of its batch is stored. */
    @Test
    void aClientMsgIdStoredBeforeIsAnsweredAlreadyStoredWithinTheBatch() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String pair = ConversationKey.pair(a.uid, b.uid);
        long earlier;
        try (MessageWriter first = new MessageWriter(stack.api.writerJdbi())) {
            earlier = first.insert(new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "first", "once", now));
        }
        List<MessageWriter.Row> rows = List.of(
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "before", "fresh-1", now),
                new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text", "first", "once", now),
                new MessageWriter.Row(pair, b.uid, b.uid, a.uid, null, "text", "other author", "once", now));
        try (MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(10), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(rows.size());
            List<Future<Long>> results = queuedInOrder(writer, pool, rows);
            writer.start();
            var replay = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> results.get(1).get(10, TimeUnit.SECONDS));
            assertEquals(earlier, assertInstanceOf(MessageWriter.AlreadyStored.class, replay.getCause()).id());
            long before = results.get(0).get(10, TimeUnit.SECONDS);
            long otherAuthor = results.get(2).get(10, TimeUnit.SECONDS);
            assertTrue(earlier < before && before < otherAuthor, earlier + " " + before + " " + otherAuthor);
            pool.shutdownNow();
        }
    }

    /** More rows than one INSERT takes: every row is stored once, under the id its caller got, in queue order. */
    @Test
    void aBatchLargerThanOneInsertStoresEveryRowUnderItsOwnId() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        int n = 2 * MessageWriter.MAX_ROWS_PER_INSERT + 50;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String pair = ConversationKey.pair(a.uid, b.uid);
        try (MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(30), false)) {
            ExecutorService pool = Executors.newFixedThreadPool(n);
            List<MessageWriter.Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(new MessageWriter.Row(pair, a.uid, a.uid, b.uid, null, "text",
                        "row " + i + " 大美如斯 😀", i % 2 == 0 ? "batch-" + i : null, now.plusMillis(i)));
            }
            List<Future<Long>> results = queuedInOrder(writer, pool, rows);
            writer.start();
            List<Long> ids = new ArrayList<>();
            for (Future<Long> result : results) {
                ids.add(result.get(30, TimeUnit.SECONDS));
            }
            pool.shutdownNow();
            for (int i = 1; i < n; i++) {
                assertTrue(ids.get(i - 1) < ids.get(i), "ids in queue order: " + ids);
            }
            Map<Long, Message> stored = new java.util.HashMap<>();
            stack.api.jdbi().onDemand(MessageDao.class).findAll(ids).forEach(m -> stored.put(m.id(), m));
            assertEquals(n, stored.size());
            for (int i = 0; i < n; i++) {
                Message m = stored.get(ids.get(i));
                assertEquals("row " + i + " 大美如斯 😀", m.content());
                assertEquals(i % 2 == 0 ? "batch-" + i : null, m.clientMsgId());
                assertEquals(now.plusMillis(i), m.createdAt());
            }
        }
    }

    @Test
    void aClosedWriterAnswersUnavailableAfterFinishingItsQueue() throws Exception {
        User a = stack.newUser("buyer");
        User b = stack.newUser("buyer");
        MessageWriter writer = new MessageWriter(stack.api.writerJdbi(), Duration.ofSeconds(10), false);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Future<Long> queued = pool.submit(() -> writer.insert(new MessageWriter.Row(ConversationKey.pair(a.uid, b.uid),
                a.uid, a.uid, b.uid, null, "text", "queued", null, Instant.now().truncatedTo(ChronoUnit.MILLIS))));
        awaitQueued(writer, 1);
        writer.start();
        writer.close();
        assertTrue(queued.get(10, TimeUnit.SECONDS) > 0);
        var refused = assertThrows(io.pushgate.webapi.http.ApiException.class, () -> writer.insert(
                new MessageWriter.Row(ConversationKey.pair(a.uid, b.uid), a.uid, a.uid, b.uid, null, "text", "late",
                        null, Instant.now())));
        assertEquals(503, refused.status());
        assertEquals("unavailable", refused.code());
        pool.shutdownNow();
    }
}
