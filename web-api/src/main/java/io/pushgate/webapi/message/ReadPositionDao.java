package io.pushgate.webapi.message;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code read_positions} table: how far each user has read each conversation. It only moves forward. */
public interface ReadPositionDao {

    @SqlUpdate("INSERT INTO read_positions (uid, conversation, up_to_id) VALUES (:uid, :conversation, :upTo) "
            + "ON DUPLICATE KEY UPDATE up_to_id = GREATEST(up_to_id, VALUES(up_to_id))")
    void moveTo(@Bind("uid") long uid, @Bind("conversation") String conversation, @Bind("upTo") long upToId);
}
