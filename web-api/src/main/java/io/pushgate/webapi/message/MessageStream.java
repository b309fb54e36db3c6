package io.pushgate.webapi.message;

import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
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
    /**
     * The socket timeout of a connection that waits for or holds the lock: above the lock wait, so that a lock
     * wait ends with the server's 1205 rather than a broken connection. The pool resets it when the connection
     * is returned.
     */
    static final int NETWORK_TIMEOUT_MS = MessageStreamDao.LOCK_WAIT_SECONDS * 1000 + 1000;

    private MessageStream() {
    }

    /**
     * Takes the stream lock in {@code handle}'s transaction, waiting at most
     * {@link MessageStreamDao#LOCK_WAIT_SECONDS} for another writer's transaction to end (then MySQL's 1205).
     */
    static void lock(Handle handle) {
        try {
            handle.getConnection().setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MS);
        } catch (SQLException e) {
            throw new ConnectionException(e);
        }
        MessageStreamDao stream = handle.attach(MessageStreamDao.class);
        stream.limitLockWait();
        stream.lock().orElseThrow(() -> new IllegalStateException(
                "message_stream has lost its row 1: message ids could become visible out of order"));
    }
}
