package io.pushgate.webapi.group;

import io.pushgate.webapi.http.ApiException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transactional;

/** The {@code chat_groups} and {@code group_members} tables. */
@RegisterConstructorMapper(ChatGroup.class)
public interface GroupDao extends Transactional<GroupDao> {
    String AS_SEEN_BY = "SELECT g.group_id, g.name, "
            + "(SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.group_id) AS member_count, "
            + "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.group_id AND m.uid = :uid) AS member "
            + "FROM chat_groups g ";

    @SqlQuery(AS_SEEN_BY + "ORDER BY g.group_id")
    List<ChatGroup> all(@Bind("uid") long viewerUid);

    @SqlQuery(AS_SEEN_BY + "WHERE g.group_id = :groupId")
    Optional<ChatGroup> find(@Bind("groupId") long groupId, @Bind("uid") long viewerUid);

    @SqlUpdate("INSERT INTO chat_groups (name, created_by) VALUES (:name, :uid)")
    @GetGeneratedKeys("group_id")
    long insert(@Bind("name") String name, @Bind("uid") long createdBy);

    @SqlUpdate("INSERT IGNORE INTO group_members (group_id, uid) VALUES (:groupId, :uid)")
    int join(@Bind("groupId") long groupId, @Bind("uid") long uid);

    @SqlUpdate("DELETE FROM group_members WHERE group_id = :groupId AND uid = :uid")
    int leave(@Bind("groupId") long groupId, @Bind("uid") long uid);

    /** primary key. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = :groupId AND uid = :uid)")
    boolean isMember(@Bind("groupId") long groupId, @Bind("uid") long uid);

    /** 404 when the group does not exist, 403 when {@code uid} is not one of its members. */
    default void requireMember(long groupId, long uid) {
        if (!isMember(groupId, uid)) {
            if (find(groupId, uid).isEmpty()) {
                throw ApiException.notFound("no group " + groupId);
            }
            throw ApiException.forbidden("not a member of group " + groupId);
        }
    }

    /** A user's groups (ix_group_members_uid). */
    @SqlQuery("SELECT group_id FROM group_members WHERE uid = :uid ORDER BY group_id")
    List<Long> groupIdsOf(@Bind("uid") long uid);

    /** A user's groups with their names (ix_group_members_uid). */
    @SqlQuery(AS_SEEN_BY + "JOIN group_members mine ON mine.group_id = g.group_id AND mine.uid = :uid "
            + "ORDER BY g.group_id")
    List<ChatGroup> groupsOf(@Bind("uid") long uid);
}
