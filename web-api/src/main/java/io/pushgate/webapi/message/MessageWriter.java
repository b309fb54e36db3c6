package io.pushgate.webapi.message;

import io.pushgate.webapi.db.Database;
import io.pushgate.webapi.db.DatabaseFailures;
import io.pushgate.webapi.http.ApiException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for new messages: one thread per web-api instance owns every insert into {@code messages}.
 * {@link #insert} queues a row and waits for its id; the writer takes the first pending row, drains whatever
 * else is queued (up to {@link #MAX_BATCH}), stores them with multi-row INSERTs in one transaction on one
 * connection, commits once and then answers every row. Throughput is bound by one fsync per batch, not per
 * message.
 *
 * <p><b>Order.</b> Each transaction first takes the stream lock ({@link MessageStream}: one row lock, once per
 * batch) and keeps it until it commits, so across any number of instances on one database the transaction that
 * allocates larger ids commits later: ids become visible in increasing order, and a page that has seen id n and
 * asks {@code /api/sync?after=n} cannot miss a smaller id that commits later. A batch that rolls back leaves a
 * gap in the ids; nothing waits for it.
 *
 * <p><b>Idempotency.</b> A row whose client_msg_id its author has already used is not inserted again: one query
 * per batch, under the stream lock, finds such rows (uk_messages_author_client_msg), and their callers get
 * {@link AlreadyStored} with the stored id. Because the query runs under the lock, a send retried on another
 * instance at the same moment is found too: one instance stores it, the other answers it as a replay, and the
 * rest of both batches is stored as usual. A send with a client_msg_id costs no pooled connection of its own,
 * and a replay does not disturb the multi-row INSERT.
 *
 * <p><b>Failures.</b> A row that the database refuses (a foreign key naming no user, a client_msg_id used twice
 * within one batch) fails alone: InnoDB rolls back only the failing statement, so the rest of the batch is still
 * committed. Its caller gets the database's exception, exactly as with its own insert. A deadlock (1213) or a
 * lock-wait timeout (1205, after {@link Database#WRITER_LOCK_WAIT_SECONDS}) rolls the attempt back and the
 * whole batch is tried again after a short jittered pause, up to {@link #MAX_ATTEMPTS} times; then its callers get
 * 503 {@code unavailable} with Retry-After. A database that cannot be reached fails the whole batch with the
 * connection failure (answered 503 {@code database_unavailable} by the error mapping). A caller that waits longer
 * than its timeout, or finds the writer closed or its queue full, gets 503 {@code unavailable}.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
    /** Most rows in one transaction. */
    static final int MAX_BATCH = 500;
    /** Most rows waiting for the writer; beyond it a send is answered 503 at once. */
    static final int MAX_QUEUED = 20_000;
    /** Most rows in one INSERT statement: 100 texts of 2,000 characters stay far below max_allowed_packet. */
    static final int MAX_ROWS_PER_INSERT = 100;
    /** One row's values, in {@link MessageDao#INSERT_INTO}'s column order. */
    private static final String ROW_PLACEHOLDERS = "(?,?,?,?,?,?,?,?,?)";
    /** How long a send waits for its row to be stored. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /**
     * Most attempts at one batch when the database reports a lock conflict: with a lock wait of
     * {@link Database#WRITER_LOCK_WAIT_SECONDS} each, the last one still ends within {@link #WAIT}.
     */
    static final int MAX_ATTEMPTS = 3;
    /** The least wait before a retry, times the attempt number; the jitter adds up to as much again. */
    static final long BACKOFF_MS = 5;

    /** One validated message to store, as {@link MessageDao#insert} takes it. */
    public record Row(String conversation, long authorUid, long fromUid, Long toUid, Long groupId, String type,
                      String content, String clientMsgId, Instant createdAt) {
    }

    private record Pending(Row row, CompletableFuture<Long> id) {
    }

    /** Thrown by {@link #insert} for a row whose author stored a message under the same client_msg_id before. */
    public static final class AlreadyStored extends RuntimeException {
        private final long id;

        AlreadyStored(long id) {
            super("client_msg_id already used by message " + id, null, false, false);
            this.id = id;
        }

        /** The id of the message stored under that client_msg_id. */
        public long id() {
            return id;
        }
    }

    private final Jdbi jdbi;
    private final Duration wait;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final Thread thread;
    private volatile boolean closed;
    private final AtomicLong retries = new AtomicLong();

    /** @param jdbi the writer's own pool ({@link Database#writerJdbi()}), whose lock waits are short */
    public MessageWriter(Jdbi jdbi) {
        this(jdbi, WAIT, true);
    }

    /** With {@code start} false the writer only queues until {@link #start()} (tests fill a batch that way). */
    MessageWriter(Jdbi jdbi, Duration wait, boolean start) {
        this.jdbi = jdbi;
        this.wait = wait;
        this.thread = new Thread(this::run, "web-api-message-writer");
        thread.setDaemon(true);
        if (start) {
            thread.start();
        }
    }

    void start() {
        thread.start();
    }

    /** Batches attempted again after a lock conflict, since the start. */
    long retries() {
        return retries.get();
    }

    /** Rows waiting for the writer. */
    int queued() {
        return queue.size();
    }

    /**
     * Stores {@code row} and returns its id. Throws {@link AlreadyStored} if its author has used its client_msg_id
     * before, what the database threw for this row (for instance an
     * {@link UnableToExecuteStatementException} for a constraint violation, or a connection failure), or an
     * {@link ApiException} 503 {@code unavailable} when the writer is closed, overloaded or too slow, or its batch
     * lost {@link #MAX_ATTEMPTS} lock conflicts in a row.
     */
    public long insert(Row row) {
        if (closed) {
            throw unavailable("web-api is shutting down");
        }
        Pending pending = new Pending(row, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw unavailable("too many messages are waiting to be stored");
        }
        try {
            return pending.id().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not stored yet: the writer skips a cancelled row unless it is already in the batch being written
            pending.id().cancel(false);
            throw unavailable("the message could not be stored in time");
        } catch (InterruptedException e) {
            pending.id().cancel(false);
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while storing the message");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("storing a message failed", e.getCause());
        }
    }

    private static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, Map.of("Retry-After", "1"));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                if (closed) { // close() gave up waiting: fail what is left rather than leave callers hanging
                    failAll(batch);
                    List<Pending> left = new ArrayList<>();
                    queue.drainTo(left);
                    failAll(left);
                    return;
                }
            } catch (RuntimeException | Error e) {
                log.error("message writer failed on a batch of {}", batch.size(), e);
                for (Pending p : batch) {
                    p.id().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private static void failAll(List<Pending> pendings) {
        for (Pending p : pendings) {
            p.id().completeExceptionally(unavailable("web-api is shutting down"));
        }
    }

    /**
     * Stores the batch in one transaction, retried whole (up to {@link #MAX_ATTEMPTS}) when the database reports
     * a lock conflict; every future is completed after the commit (or the last failure). A retry leaves out the
     * rows whose callers gave up meanwhile: the rolled-back attempt did not store them.
     */
    private void write(List<Pending> batch) {
        for (int attempt = 1; ; attempt++) {
            List<Pending> live = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                if (!p.id().isCancelled()) { // its caller gave up waiting: not stored, as it was told
                    live.add(p);
                }
            }
            if (live.isEmpty()) {
                return;
            }
            Stored stored;
            try {
                stored = store(live);
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isLockConflict(e)) {
                    fail(live, e);
                    return;
                }
                if (attempt == MAX_ATTEMPTS) {
                    log.warn("a batch of {} messages lost {} lock conflicts in a row: {}", live.size(), attempt,
                            e.getCause() == null ? e.toString() : e.getCause().toString());
                    fail(live, unavailable("the database is busy; try again shortly"));
                    return;
                }
                retries.incrementAndGet();
                log.debug("retrying a batch of {} messages after {}", live.size(), e.toString());
                if (!backOff(attempt)) {
                    fail(live, unavailable("interrupted while storing the message"));
                    return;
                }
                continue;
            }
            stored.answer();
            return;
        }
    }

    /** Waits a little before attempt {@code attempt + 1}, jittered so that competing writers spread out. */
    private static boolean backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(BACKOFF_MS * attempt, 2 * BACKOFF_MS * attempt + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the run loop sees it at once (close() gave up waiting)
            return false;
        }
    }

    private static void fail(List<Pending> live, RuntimeException e) {
        if (!DatabaseFailures.isUnavailable(e) && !(e instanceof ApiException)) {
            log.error("storing a batch of {} messages failed", live.size(), e);
        }
        for (Pending p : live) {
            p.id().completeExceptionally(e);
        }
    }

    /** What one committed transaction did for each row, answered to the callers by {@link #answer}. */
    private record Stored(Map<Pending, Long> replays, List<Pending> fresh, long[] ids, RuntimeException[] failures) {
        void answer() {
            replays.forEach((p, earlier) -> p.id().completeExceptionally(new AlreadyStored(earlier)));
            for (int i = 0; i < fresh.size(); i++) {
                if (failures[i] != null) {
                    fresh.get(i).id().completeExceptionally(failures[i]);
                } else {
                    fresh.get(i).id().complete(ids[i]);
                }
            }
        }
    }

    /**
     * One attempt: under the stream lock ({@link MessageStream}), looks up the replays, inserts the other rows and
     * commits; rolls back and throws if the database fails. Since the lookup runs under the lock, no writer of
     * any instance can store the same client_msg_id between it and the insert.
     */
    private Stored store(List<Pending> live) {
        try (Handle handle = jdbi.open()) {
            handle.begin();
            try {
                MessageStream.lock(handle);
                Map<Pending, Long> replays = alreadyStored(handle, live);
                List<Pending> fresh = new ArrayList<>(live.size());
                for (Pending p : live) {
                    if (!replays.containsKey(p)) {
                        fresh.add(p);
                    }
                }
                long[] ids = new long[fresh.size()];
                RuntimeException[] failures = new RuntimeException[fresh.size()];
                for (int from = 0; from < fresh.size(); from += MAX_ROWS_PER_INSERT) {
                    insertChunk(handle, fresh, from, Math.min(fresh.size(), from + MAX_ROWS_PER_INSERT), ids,
                            failures);
                }
                handle.commit();
                return new Stored(replays, fresh, ids, failures);
            } catch (RuntimeException e) {
                rollbackQuietly(handle);
                throw e;
            }
        }
    }

    /**
     * The rows of {@code live} whose author already stored a message under their client_msg_id, with its id: one
     * query (uk_messages_author_client_msg) for the lot, none when no row carries a client_msg_id.
     */
    private static Map<Pending, Long> alreadyStored(Handle handle, List<Pending> live) {
        List<Pending> keyed = new ArrayList<>();
        for (Pending p : live) {
            if (p.row().clientMsgId() != null) {
                keyed.add(p);
            }
        }
        if (keyed.isEmpty()) {
            return Map.of();
        }
        Query query = handle.createQuery("SELECT author_uid, client_msg_id, id FROM messages WHERE "
                + String.join(" OR ", Collections.nCopies(keyed.size(), "(author_uid = ? AND client_msg_id = ?)")));
        int position = 0;
        for (Pending p : keyed) {
            query.bind(position++, p.row().authorUid()).bind(position++, p.row().clientMsgId());
        }
        Map<String, Long> stored = new HashMap<>();
        query.map((rs, ctx) -> Map.entry(rs.getLong("author_uid") + ":" + rs.getString("client_msg_id"),
                rs.getLong("id"))).forEach(e -> stored.put(e.getKey(), e.getValue()));
        Map<Pending, Long> replays = new IdentityHashMap<>();
        for (Pending p : keyed) {
            Long id = stored.get(p.row().authorUid() + ":" + p.row().clientMsgId());
            if (id != null) {
                replays.put(p, id);
            }
        }
        return replays;
    }

    /**
     * Inserts rows {@code [from, to)} of {@code live} with one multi-row INSERT, which costs one round trip and
     * one statement for the lot. Their ids are consecutive: InnoDB reserves the whole range for an INSERT whose
     * row count is known (a "simple insert") in every {@code innodb_autoinc_lock_mode}, and Connector/J reports
     * them as generated keys. If the database refuses a row, InnoDB rolls back that statement alone and the rows
     * are inserted again one by one, so that only the refused ones fail.
     */
    private static void insertChunk(Handle handle, List<Pending> live, int from, int to, long[] ids,
                                    RuntimeException[] failures) {
        Update insert = handle.createUpdate(
                MessageDao.INSERT_INTO + String.join(",", Collections.nCopies(to - from, ROW_PLACEHOLDERS)));
        int position = 0;
        for (int i = from; i < to; i++) {
            Row r = live.get(i).row();
            insert.bind(position++, r.conversation()).bind(position++, r.authorUid()).bind(position++, r.fromUid())
                    .bind(position++, r.toUid()).bind(position++, r.groupId()).bind(position++, r.type())
                    .bind(position++, r.content()).bind(position++, r.clientMsgId())
                    .bind(position++, r.createdAt());
        }
        try {
            List<Long> keys = insert.executeAndReturnGeneratedKeys("id").mapTo(Long.class).list();
            if (keys.size() != to - from) {
                throw new IllegalStateException("the database reported " + keys.size() + " ids for "
                        + (to - from) + " rows");
            }
            for (int i = from; i < to; i++) {
                ids[i] = keys.get(i - from);
            }
            return;
        } catch (UnableToExecuteStatementException e) {
            if (!refusesARow(e)) {
                throw e; // not a row's fault: the batch fails
            }
        }
        MessageDao dao = handle.attach(MessageDao.class);
        for (int i = from; i < to; i++) {
            Row r = live.get(i).row();
            try {
                ids[i] = dao.insert(r.conversation(), r.authorUid(), r.fromUid(), r.toUid(), r.groupId(), r.type(),
                        r.content(), r.clientMsgId(), r.createdAt());
            } catch (UnableToExecuteStatementException e) {
                if (!refusesARow(e)) {
                    throw e;
                }
                failures[i] = e; // only this statement was rolled back; the transaction goes on
            }
        }
    }

    /** A constraint refused a row (unknown recipient, reused client_msg_id), as opposed to a failing database. */
    private static boolean refusesARow(UnableToExecuteStatementException e) {
        return e.getCause() instanceof SQLIntegrityConstraintViolationException;
    }

    private static void rollbackQuietly(Handle handle) {
        try {
            handle.rollback();
        } catch (RuntimeException e) {
            log.debug("rollback failed: {}", e.toString());
        }
    }

    /**
     * Stops taking rows and stores those already queued, waiting up to {@code 2 ×} the send timeout; whatever is
     * still left after that is answered 503.
     */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2 * wait.toMillis());
            if (thread.isAlive()) {
                log.warn("message writer did not finish within {} ms; failing what is left", 2 * wait.toMillis());
                thread.interrupt();
                thread.join(wait.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
