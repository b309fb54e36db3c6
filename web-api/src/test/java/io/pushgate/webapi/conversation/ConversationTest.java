package io.pushgate.webapi.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.db.Database;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.ChatGroup;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.message.ConversationKey;
import io.pushgate.webapi.message.MessageDao;
import io.pushgate.webapi.user.Role;
import io.pushgate.webapi.user.UserDao;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** GET /api/conversations: the answer's exact shape, its unread counts, and what it costs the database. */
class ConversationTest extends StackTest {
    /** A database connection of the test's own, whose statements {@link #statements} counts. */
    static Database db;
    static final AtomicInteger statements = new AtomicInteger();
    static MessageDao messages;
    static UserDao users;
    static GroupDao groups;
    static long support;

    @BeforeAll
    static void openCountingDatabase() {
        db = Database.open(stack.db.url(), stack.api.config().dbUser(), stack.api.config().dbPassword(), 2);
        Jdbi jdbi = db.jdbi();
        jdbi.registerColumnMapper(Role.class, (rs, column, ctx) -> Role.of(rs.getString(column)));
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }
        });
        messages = jdbi.onDemand(MessageDao.class);
        users = jdbi.onDemand(UserDao.class);
        groups = jdbi.onDemand(GroupDao.class);
        support = stack.uidOf("support");
    }

    @AfterAll
    static void closeCountingDatabase() {
        db.close();
    }

    @Test
    void anEntryHasTheContractsFieldsAndTheListIsNewestFirst() {
        User viewer = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        long emptyRoom = room(viewer.uid);
        long room = room(viewer.uid);
        groups.join(room, peer.uid);
        Reply sent = viewer.send(Map.of("to_uid", peer.uid, "type", "text", "content", "hi"));
        assertEquals(201, sent.status(), sent.toString());
        assertEquals(201, peer.send(Map.of("group_id", room, "type", "text", "content", "room")).status());
        Reply answer = peer.send(Map.of("to_uid", viewer.uid, "type", "text", "content", "hello",
                "client_msg_id", "c-1"));
        assertEquals(201, answer.status(), answer.toString());

        Reply list = viewer.get("/api/conversations");
        assertEquals(200, list.status(), list.toString());
        assertEquals(Set.of("conversations"), fields(list.body()));
        JsonNode entries = list.body().get("conversations");
        assertEquals(3, entries.size(), entries.toString());

        JsonNode pair = entries.get(0); // the newest: the peer's answer
        assertEquals(Set.of("peer", "desk", "last_message", "unread"), fields(pair));
        assertEquals(Set.of("uid", "username", "nickname", "headimgurl", "role"), fields(pair.get("peer")));
        assertEquals(peer.uid, pair.get("peer").get("uid").asLong());
        assertEquals("buyer", pair.get("peer").get("role").asString());
        assertTrue(pair.get("desk").isBoolean() && !pair.get("desk").asBoolean());
        assertEquals(answer.body().get("message"), pair.get("last_message"));
        assertEquals(Set.of("id", "from_uid", "to_uid", "type", "content", "created_at", "client_msg_id"),
                fields(pair.get("last_message")));
        assertTrue(pair.get("last_message").get("id").isIntegralNumber());
        Instant.parse(pair.get("last_message").get("created_at").asString());
        assertTrue(pair.get("unread").isInt());
        assertEquals(1, pair.get("unread").asInt());

        JsonNode group = entries.get(1);
        assertEquals(Set.of("group", "desk", "last_message", "unread"), fields(group));
        assertEquals(Set.of("group_id", "name", "visibility", "created_by", "member_count", "member", "invited"),
                fields(group.get("group")));
        assertEquals(room, group.get("group").get("group_id").asLong());
        assertEquals(2, group.get("group").get("member_count").asInt());
        assertTrue(group.get("group").get("member").asBoolean());
        assertEquals(Set.of("id", "from_uid", "group_id", "type", "content", "created_at"),
                fields(group.get("last_message")));
        assertEquals(1, group.get("unread").asInt());

        JsonNode empty = entries.get(2); // no message: last
        assertEquals(Set.of("group", "desk", "unread"), fields(empty));
        assertEquals(emptyRoom, empty.get("group").get("group_id").asLong());
        assertEquals(0, empty.get("unread").asInt());

        // the other side: what it sent itself is not unread
        JsonNode theirs = peer.get("/api/conversations").body().get("conversations");
        assertEquals(viewer.uid, theirs.get(0).get("peer").get("uid").asLong());
        assertEquals(1, theirs.get(0).get("unread").asInt(), "the viewer's hi, not the peer's own hello");
        assertEquals(room, theirs.get(1).get("group").get("group_id").asLong());
        assertEquals(0, theirs.get(1).get("unread").asInt(), "the peer wrote the room's only message");
    }

    @Test
    void unreadCountsStopAtTheCapAndSkipWhatTheUserSent() {
        long reader = user("buyer");
        long writer = user("buyer");
        long many = user("buyer");
        for (int i = 0; i < 5; i++) {
            message(many, reader);
        }
        message(writer, reader);
        message(writer, reader);
        message(reader, writer);
        message(reader, writer); // the reader's own: never unread
        Map<String, Integer> unread = new HashMap<>();
        messages.conversationsOf(reader, -1, 3).forEach(s -> unread.put(s.conversation(), s.unread()));
        assertEquals(3, unread.get(ConversationKey.pair(reader, many)), "5 unread, counted up to 3");
        assertEquals(2, unread.get(ConversationKey.pair(reader, writer)));
        message(writer, reader);
        assertEquals(3, messages.conversationsOf(reader, -1, 3).stream()
                .filter(s -> s.conversation().equals(ConversationKey.pair(reader, writer))).findFirst().orElseThrow()
                .unread(), "exactly the cap");
    }

    @Test
    void theListCostsTheSameStatementsForOneConversationAsForThirty() {
        long lone = user("buyer");
        message(user("buyer"), lone);
        long busy = user("agent");
        for (int i = 0; i < 10; i++) {
            message(user("buyer"), busy); // 1:1
            message(user("buyer"), support); // a customer's desk conversation, which every agent sees
            long room = room(busy);
            groupMessage(busy, room);
        }
        DeskService desk = new DeskService(users, Duration.ofDays(1), System::nanoTime);
        desk.supportUid(); // looked up once, outside the counts
        ConversationService service = new ConversationService(messages, users, groups, desk);

        int one = countStatements(() -> assertEquals(1, service.of(new Caller(lone, Role.BUYER))
                .conversations().size()));
        List<ConversationService.Conversation> thirty = new ArrayList<>();
        int many = countStatements(() -> thirty.addAll(service.of(new Caller(busy, Role.AGENT)).conversations()));
        assertTrue(thirty.size() >= 30, thirty.size() + " conversations"); // and other tests' desk conversations
        assertEquals(10, thirty.stream().filter(c -> c.group() != null).count());
        assertEquals(one, many, "statements for 1 and for " + thirty.size() + " conversations");
        assertTrue(many <= 4, many + " statements");
    }

    private static int countStatements(Runnable run) {
        int before = statements.get();
        run.run();
        return statements.get() - before;
    }

    private static long user(String role) {
        String name = "c_" + UUID.randomUUID().toString().substring(0, 12);
        return users.insert(name, "not a hash: never logs in", "nick " + name, "", role);
    }

    private static long room(long creator) {
        long gid = groups.insert("room " + UUID.randomUUID().toString().substring(0, 8), ChatGroup.PUBLIC, creator);
        groups.join(gid, creator);
        return gid;
    }

    /**
     * Stores a message as the writer would, without its stream lock: these tests read no /api/sync cursor, so
     * ids committing out of order cannot matter to them.
     */
    private static void message(long from, long to) {
        messages.insert(ConversationKey.pair(from, to), from, from, to, null, "text", "hi", null, Instant.now());
    }

    private static void groupMessage(long from, long groupId) {
        messages.insert(ConversationKey.group(groupId), from, from, null, groupId, "text", "hi", null, Instant.now());
    }

    private static Set<String> fields(JsonNode node) {
        return new TreeSet<>(node.propertyNames());
    }
}
