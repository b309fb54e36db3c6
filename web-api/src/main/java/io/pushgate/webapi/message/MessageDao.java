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

    /** The last message of a conversation. */
    record LastId(String conversation, long lastId) {
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
     * The 1:1 conversations {@code uid} (and, for staff, the desk account {@code desk}) took part in, with their
     * last message id (ix_messages_to_id, ix_messages_from_id).
     */
    @SqlQuery("SELECT conversation, MAX(id) AS last_id FROM ("
            + "SELECT conversation, id FROM messages WHERE to_uid IN (:uid, :desk)"
            + " UNION ALL SELECT conversation, id FROM messages WHERE from_uid IN (:uid, :desk) AND to_uid IS NOT NULL"
            + ") mine GROUP BY conversation")
    @RegisterConstructorMapper(LastId.class)
    List<LastId> pairConversations(@Bind("uid") long uid, @Bind("desk") long deskUid);

    /** The last message id of a conversation, 0 when it has none (ix_messages_conversation_id). */
    @SqlQuery("SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation = :conversation")
    long lastId(@Bind("conversation") String conversation);

    @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE id IN (<ids>)")
    List<Message> findAll(@BindList("ids") Collection<Long> ids);

    /**
     * Messages of a conversation after an id that {@code self} did not send, counted up to {@code cap}
     * (ix_messages_conversation_id).
     */
    @SqlQuery("SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE conversation = :conversation AND id > :after "
            + "AND from_uid <> :self LIMIT :cap) unread")
    int countUnread(@Bind("conversation") String conversation, @Bind("after") long afterId,
                    @Bind("self") long selfUid, @Bind("cap") int cap);
}
