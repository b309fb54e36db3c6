package io.pushgate.webapi.group;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transactional;

/**
 * The {@code chat_groups}, {@code group_members} and {@code group_invites} tables. A public room is seen by
 * everyone; a private one only by its creator, its members and those invited to it: to anyone else it does not
 * exist (404). What a request may do with a room is decided by {@link Membership} and {@code GroupController}.
 */
@RegisterConstructorMapper(ChatGroup.class)
public interface GroupDao extends Transactional<GroupDao> {
    String AS_SEEN_BY = "SELECT g.group_id, g.name, g.visibility, g.created_by, "
            + "(SELECT COUNT(*) FROM group_members c WHERE c.group_id = g.group_id) AS member_count, "
            + "EXISTS (SELECT 1 FROM group_members m WHERE m.group_id = g.group_id AND m.uid = :uid) AS member, "
            + "EXISTS (SELECT 1 FROM group_invites i WHERE i.group_id = g.group_id AND i.uid = :uid) AS invited "
            + "FROM chat_groups g ";

    /**
     * Public rooms (ix_chat_groups_visibility), the viewer's rooms (ix_group_members_uid), the rooms they are
     * invited to (ix_group_invites_uid).
     */
    @SqlQuery(AS_SEEN_BY + "WHERE g.group_id IN ("
            + "SELECT group_id FROM chat_groups WHERE visibility = 'public' "
            + "UNION SELECT group_id FROM group_members WHERE uid = :uid "
            + "UNION SELECT group_id FROM group_invites WHERE uid = :uid) ORDER BY g.group_id")
    List<ChatGroup> all(@Bind("uid") long viewerUid);

    /** One room, if {@code viewerUid} may see it (primary keys). */
    @SqlQuery(AS_SEEN_BY + "WHERE g.group_id = :groupId AND (g.visibility = 'public' "
            + "OR EXISTS (SELECT 1 FROM group_members v WHERE v.group_id = g.group_id AND v.uid = :uid) "
            + "OR EXISTS (SELECT 1 FROM group_invites w WHERE w.group_id = g.group_id AND w.uid = :uid))")
    Optional<ChatGroup> find(@Bind("groupId") long groupId, @Bind("uid") long viewerUid);

    @SqlUpdate("INSERT INTO chat_groups (name, visibility, created_by) VALUES (:name, :visibility, :uid)")
    @GetGeneratedKeys("group_id")
    long insert(@Bind("name") String name, @Bind("visibility") String visibility, @Bind("uid") long createdBy);

    @SqlUpdate("INSERT IGNORE INTO group_members (group_id, uid) VALUES (:groupId, :uid)")
    int join(@Bind("groupId") long groupId, @Bind("uid") long uid);

    @SqlUpdate("DELETE FROM group_members WHERE group_id = :groupId AND uid = :uid")
    int leave(@Bind("groupId") long groupId, @Bind("uid") long uid);

    /** An invite stays valid after it is used, so an invitee who left may come back. */
    @SqlUpdate("INSERT IGNORE INTO group_invites (group_id, uid, invited_by) VALUES (:groupId, :uid, :by)")
    int invite(@Bind("groupId") long groupId, @Bind("uid") long uid, @Bind("by") long invitedBy);

    /** primary key. */
    @SqlQuery("SELECT EXISTS (SELECT 1 FROM group_members WHERE group_id = :groupId AND uid = :uid)")
    boolean isMember(@Bind("groupId") long groupId, @Bind("uid") long uid);

    /** A user's groups (ix_group_members_uid). */
    @SqlQuery("SELECT group_id FROM group_members WHERE uid = :uid ORDER BY group_id")
    List<Long> groupIdsOf(@Bind("uid") long uid);

    /** A user's groups with their names (ix_group_members_uid). */
    @SqlQuery(AS_SEEN_BY + "JOIN group_members mine ON mine.group_id = g.group_id AND mine.uid = :uid "
            + "ORDER BY g.group_id")
    List<ChatGroup> groupsOf(@Bind("uid") long uid);
}
