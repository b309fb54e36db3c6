package io.pushgate.webapi.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code sessions} table: SHA-256 hashes of session tokens and whose they are. */
@RegisterConstructorMapper(SessionDao.SessionRow.class)
@RegisterConstructorMapper(SessionDao.LiveSession.class)
public interface SessionDao {

    /** A live session joined with its user's role. */
    record SessionRow(long uid, String role, Instant expiresAt) {
    }

    @SqlUpdate("INSERT INTO sessions (token_hash, uid, created_at, expires_at) VALUES (:hash, :uid, :now, :expires)")
    void insert(@Bind("hash") byte[] tokenHash, @Bind("uid") long uid, @Bind("now") Instant now,
                @Bind("expires") Instant expires);

    @SqlQuery("SELECT s.uid, u.role, s.expires_at FROM sessions s JOIN users u ON u.uid = s.uid "
            + "WHERE s.token_hash = :hash AND s.expires_at > :now")
    Optional<SessionRow> find(@Bind("hash") byte[] tokenHash, @Bind("now") Instant now);

    /** A live session found by {@link #findAll}, with the hash it was asked for. */
    record LiveSession(byte[] tokenHash, long uid, String role, Instant expiresAt) {
    }

    /** Which of these sessions are live (the primary key, one lookup each in one statement). */
    @SqlQuery("SELECT s.token_hash, s.uid, u.role, s.expires_at FROM sessions s JOIN users u ON u.uid = s.uid "
            + "WHERE s.token_hash IN (<hashes>) AND s.expires_at > :now")
    List<LiveSession> findAll(@BindList("hashes") List<byte[]> tokenHashes, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM sessions WHERE token_hash = :hash")
    void delete(@Bind("hash") byte[] tokenHash);

    @SqlUpdate("DELETE FROM sessions WHERE expires_at < :now")
    int deleteExpired(@Bind("now") Instant now);
}
