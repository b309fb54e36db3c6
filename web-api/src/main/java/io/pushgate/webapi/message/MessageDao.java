package io.pushgate.webapi.message;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code messages} table. Each query names the index of V1__init.sql it relies on. */
@RegisterConstructorMapper(Message.class)
public interface MessageDao {
    String COLUMNS = "id, from_uid, to_uid, group_id, type, content, created_at, client_msg_id";

    /** A stored message with the key it was stored under, for idempotent replays. */
    record Stored(long id, String conversation, long fromUid, Long toUid, Long groupId, String type, String content,
                  Instant createdAt, String clientMsgId) {
        public Message message() {
            return new Message(id, fromUid, toUid, groupId, type, content, createdAt, clientMsgId);
        }
    }

    /**
     * One entry of a user's conversation list: its key, its last message id (0 when it has none) and how many of
     * its messages the user has not read, counted up to a cap.
     */
    record Summary(String conversation, long lastId, int unread) {
    }

    /**
     * The start of an INSERT of new messages, up to its VALUES; {@link MessageWriter} adds rows of its own. Only
     * for a transaction that holds the stream lock ({@link MessageStream}), or ids could commit out of order.
     */
    String INSERT_INTO = "INSERT INTO messages (conversation, author_uid, from_uid, to_uid, group_id, type, content, "
            + "client_msg_id, created_at) VALUES ";

    /** One new message, in a transaction that holds the stream lock ({@link MessageStream}). */
    @SqlUpdate(INSERT_INTO + "(:conversation, :author, :from, :to, :group, :type, :content, :clientMsgId, :createdAt)")
    @GetGeneratedKeys("id")
    long insert(@Bind("conversation") String conversation, @Bind("author") long authorUid,
                @Bind("from") long fromUid, @Bind("to") Long toUid, @Bind("group") Long groupId,
                @Bind("type") String type, @Bind("content") String content,
                @Bind("clientMsgId") String clientMsgId, @Bind("createdAt") Instant createdAt);

    /** uk_messages_author_client_msg. */
    @SqlQuery("SELECT id, conversation, from_uid, to_uid, group_id, type, content, created_at, client_msg_id "
            + "FROM messages WHERE author_uid = :author AND client_msg_id = :clientMsgId")
    @RegisterConstructorMapper(Stored.class)
    Optional<Stored> findByClientMsgId(@Bind("author") long authorUid, @Bind("clientMsgId") String clientMsgId);

    /** One page of a conversation, newest first (ix_messages_conversation_id). */
    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE conversation = :conversation AND id < :before "
            + "ORDER BY id DESC LIMIT :limit")
    List<Message> pageBefore(@Bind("conversation") String conversation, @Bind("before") long beforeId,
                             @Bind("limit") int limit);

    /**
     * Everything {@code uid} can see after an id, oldest first: received (ix_messages_to_id), sent
     * (ix_messages_from_id), in their groups (ix_group_members_uid, ix_messages_group_id) and, for desk
     * staff, to and from the desk account {@code desk} (pass -1 for everyone else).
     */
    @SqlQuery("SELECT " + COLUMNS + " FROM ("
            + "(SELECT " + COLUMNS + " FROM messages WHERE to_uid = :uid AND id > :after ORDER BY id LIMIT :limit)"
            + " UNION (SELECT " + COLUMNS + " FROM messages WHERE from_uid = :uid AND id > :after "
            + "ORDER BY id LIMIT :limit)"
            + " UNION (SELECT " + COLUMNS + " FROM messages WHERE to_uid = :desk AND id > :after "
            + "ORDER BY id LIMIT :limit)"
            + " UNION (SELECT " + COLUMNS + " FROM messages WHERE from_uid = :desk AND id > :after "
            + "ORDER BY id LIMIT :limit)"
            + " UNION (SELECT m.id, m.from_uid, m.to_uid, m.group_id, m.type, m.content, m.created_at, "
            + "m.client_msg_id FROM group_members gm JOIN messages m ON m.group_id = gm.group_id "
            + "WHERE gm.uid = :uid AND m.id > :after ORDER BY m.id LIMIT :limit)"
            + ") visible ORDER BY id LIMIT :limit")
    List<Message> visibleAfter(@Bind("uid") long uid, @Bind("desk") long deskUid, @Bind("after") long afterId,
                               @Bind("limit") int limit);

    /**
     * Every conversation of {@code uid} in one statement, whatever their number: the 1:1 ones they took part in
     * and, for staff, those of the desk account {@code desk} (pass -1 for everyone else), found by
     * ix_messages_to_id and ix_messages_from_id; their group rooms, each with its last id (ix_group_members_uid,
     * ix_messages_group_id). Unread: the messages after the user's read position (read_positions' primary key)
     * that {@code self} did not send, where {@code self} is the user, or the desk account in a desk conversation
     * the user is not part of; each counted along ix_messages_conversation_id and stopping at {@code cap}, so
     * one conversation costs at most {@code cap} index entries.
     */
    @SqlQuery("SELECT c.conversation, c.last_id, CASE"
            + " WHEN c.last_id <= COALESCE(r.up_to_id, 0) THEN 0"
            + " WHEN (SELECT u.id FROM messages u WHERE u.conversation = c.conversation"
            + " AND u.id > COALESCE(r.up_to_id, 0) AND u.from_uid <> c.self_uid ORDER BY u.id LIMIT 1 OFFSET :capLess1)"
            + " IS NOT NULL THEN :cap"
            + " ELSE (SELECT COUNT(*) FROM messages u WHERE u.conversation = c.conversation"
            + " AND u.id > COALESCE(r.up_to_id, 0) AND u.from_uid <> c.self_uid) END AS unread"
            + " FROM ("
            + "SELECT conversation, MAX(id) AS last_id, IF(MAX(mine), :uid, :desk) AS self_uid FROM ("
            + "SELECT conversation, id, to_uid = :uid AS mine FROM messages WHERE to_uid IN (:uid, :desk)"
            + " UNION ALL SELECT conversation, id, from_uid = :uid FROM messages"
            + " WHERE from_uid IN (:uid, :desk) AND to_uid IS NOT NULL"
            + ") pairs GROUP BY conversation"
            + " UNION ALL SELECT CONVERT(CONCAT('g:', gm.group_id) USING ascii) COLLATE ascii_bin,"
            + " COALESCE((SELECT MAX(m.id) FROM messages m WHERE m.group_id = gm.group_id), 0), :uid"
            + " FROM group_members gm WHERE gm.uid = :uid"
            + ") c LEFT JOIN read_positions r ON r.uid = :uid AND r.conversation = c.conversation")
    @RegisterConstructorMapper(Summary.class)
    List<Summary> conversationsOf(@Bind("uid") long uid, @Bind("desk") long deskUid, @Bind("cap") int cap,
                                  @Bind("capLess1") int capLess1);

    /** {@link #conversationsOf(long, long, int, int)} with unread counts stopping at {@code cap} (at least 1). */
    default List<Summary> conversationsOf(long uid, long deskUid, int cap) {
        return conversationsOf(uid, deskUid, cap, cap - 1);
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE id IN (<ids>)")
    List<Message> findAll(@BindList("ids") Collection<Long> ids);
}
