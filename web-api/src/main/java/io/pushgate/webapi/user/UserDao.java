package io.pushgate.webapi.user;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code users} table. */
@RegisterConstructorMapper(User.class)
public interface UserDao {

    /** A user and the bcrypt hash of their password, for login only. */
    record Credentials(long uid, String password) {
    }

    @SqlQuery("SELECT uid, username, nickname, headimgurl, role FROM users WHERE uid = :uid")
    Optional<User> find(@Bind("uid") long uid);

    @SqlQuery("SELECT uid, username, nickname, headimgurl, role FROM users WHERE uid IN (<uids>) ORDER BY uid")
    List<User> findAll(@BindList("uids") Collection<Long> uids);

    @SqlQuery("SELECT uid, username, nickname, headimgurl, role FROM users WHERE role = :role ORDER BY uid")
    List<User> findByRole(@Bind("role") String role);

    @SqlQuery("SELECT uid, password FROM users WHERE username = :username")
    @RegisterConstructorMapper(Credentials.class)
    Optional<Credentials> credentials(@Bind("username") String username);

    @SqlUpdate("INSERT INTO users (username, password, nickname, headimgurl, role) "
            + "VALUES (:username, :password, :nickname, :headimgurl, :role)")
    @GetGeneratedKeys("uid")
    long insert(@Bind("username") String username, @Bind("password") String passwordHash,
                @Bind("nickname") String nickname, @Bind("headimgurl") String headimgurl,
                @Bind("role") String role);

    @SqlQuery("SELECT uid FROM users WHERE username = :username")
    Optional<Long> uidOf(@Bind("username") String username);
}
