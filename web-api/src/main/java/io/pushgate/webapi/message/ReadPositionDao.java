package io.pushgate.webapi.message;

import java.util.Map;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code read_positions} table: how far each user has read each conversation. It only moves forward. */
public interface ReadPositionDao {

    @SqlUpdate("INSERT INTO read_positions (uid, conversation, up_to_id) VALUES (:uid, :conversation, :upTo) "
            + "ON DUPLICATE KEY UPDATE up_to_id = GREATEST(up_to_id, VALUES(up_to_id))")
    void moveTo(@Bind("uid") long uid, @Bind("conversation") String conversation, @Bind("upTo") long upToId);

    /** Every read position of a user, by conversation key (primary key prefix). */
    @SqlQuery("SELECT conversation, up_to_id FROM read_positions WHERE uid = :uid")
    @KeyColumn("conversation")
    @ValueColumn("up_to_id")
    Map<String, Long> of(@Bind("uid") long uid);
}
