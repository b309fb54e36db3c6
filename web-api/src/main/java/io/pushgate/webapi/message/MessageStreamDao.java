package io.pushgate.webapi.message;

import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code message_stream} table (V3__message_stream.sql): the one row whose lock orders message ids. */
interface MessageStreamDao {
    /**
     * How long a writer waits for another instance's batch to commit before its statement fails with 1205 (and
     * the batch is retried): the least MySQL allows. A batch holds the lock for milliseconds.
     */
    int LOCK_WAIT_SECONDS = 1;

    /** Applies {@link #LOCK_WAIT_SECONDS} to this session's lock waits. */
    @SqlUpdate("SET SESSION innodb_lock_wait_timeout = " + LOCK_WAIT_SECONDS)
    void limitLockWait();

    /** Locks the stream's row until the transaction ends (the primary key: a record lock, no gap lock). */
    @SqlQuery("SELECT id FROM message_stream WHERE id = 1 FOR UPDATE")
    Optional<Integer> lock();
}
