package io.pushgate.webapi.upload;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code uploads} table: each stored image's bytes under its name's id and extension. */
public interface UploadDao {

    @SqlUpdate("INSERT INTO uploads (id, extension, bytes, created_at) VALUES (:id, :extension, :bytes, :now)")
    void insert(@Bind("id") String id, @Bind("extension") String extension, @Bind("bytes") byte[] bytes,
                @Bind("now") Instant now);

    @SqlQuery("SELECT bytes FROM uploads WHERE id = :id AND extension = :extension")
    Optional<byte[]> bytes(@Bind("id") String id, @Bind("extension") String extension);

    @SqlQuery("SELECT COUNT(*) > 0 FROM uploads WHERE id = :id AND extension = :extension")
    boolean exists(@Bind("id") String id, @Bind("extension") String extension);
}
