package io.pushgate.webapi.message;

import io.pushgate.webapi.db.Database;
import org.jdbi.v3.core.Handle;

/**
 * The order in which new messages become visible, the same for every web-api instance on one database. A
 * transaction that inserts into {@code messages} first takes the stream lock ({@link #lock}), a row lock on
 * {@code message_stream}'s one row, and keeps it until it commits or rolls back. Ids are allocated only by the
 * transaction holding the lock, so a transaction that gets larger ids commits after every one that got smaller
 * ids: when a reader sees id n, every smaller id is committed or was rolled back for good, and
 * {@code /api/sync?after=n} cannot miss one. A rolled-back transaction leaves a gap, which sync steps over.
 *
 * <p>The cost: writers take turns, one transaction at a time across all instances; with group commit that is one
 * lock per batch, not per message.
 */
final class MessageStream {
    private MessageStream() {
    }

    /**
     * Takes the stream lock in {@code handle}'s transaction. On the writer's pool ({@link Database#writerJdbi()})
     * a wait for another writer's transaction ends after {@link Database#WRITER_LOCK_WAIT_SECONDS} with MySQL's
     * 1205.
     */
    static void lock(Handle handle) {
        handle.attach(MessageStreamDao.class).lock().orElseThrow(() -> new IllegalStateException(
                "message_stream has lost its row 1: message ids could become visible out of order"));
    }
}
