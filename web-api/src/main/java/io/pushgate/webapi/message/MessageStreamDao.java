package io.pushgate.webapi.message;

import java.util.Optional;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The {@code message_stream} table (V3__message_stream.sql): the one row whose lock orders message ids. */
interface MessageStreamDao {
    /** Locks the stream's row until the transaction ends (the primary key: a record lock, no gap lock). */
    @SqlQuery("SELECT id FROM message_stream WHERE id = 1 FOR UPDATE")
    Optional<Integer> lock();
}
