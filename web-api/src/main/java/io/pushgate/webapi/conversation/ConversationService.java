package io.pushgate.webapi.conversation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.ChatGroup;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.message.ConversationKey;
import io.pushgate.webapi.message.Message;
import io.pushgate.webapi.message.MessageDao;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A user's conversation list (GET /api/conversations): their 1:1 conversations, for desk staff every customer's
 * conversation with the desk, and their group rooms, each with its last message and unread count, newest first.
 *
 * <p>It costs four statements whatever the number of conversations: every conversation's last id and unread count
 * ({@link MessageDao#conversationsOf}), the user's rooms, the last messages and the peers' profiles.
 */
public final class ConversationService {
    /** Unread counts are exact up to this; pages show "999+". */
    static final int UNREAD_CAP = 999;

    private final MessageDao messages;
    private final UserDao users;
    private final GroupDao groups;
    private final DeskService desk;

    /** One entry of the list: {@code peer} (1:1 and desk) or {@code group}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Conversation(User peer, ChatGroup group, boolean desk, Message lastMessage, int unread) {
    }

    /** The answer of GET /api/conversations. */
    public record ConversationList(List<Conversation> conversations) {
    }

    public ConversationService(MessageDao messages, UserDao users, GroupDao groups, DeskService desk) {
        this.messages = messages;
        this.users = users;
        this.groups = groups;
        this.desk = desk;
    }

    /** The conversations {@code caller} sees, newest first (by last message; rooms without one last). */
    public ConversationList of(Caller caller) {
        long deskUid = desk.deskUidFor(caller);
        Map<String, MessageDao.Summary> summaries = messages.conversationsOf(caller.uid(), deskUid, UNREAD_CAP)
                .stream().collect(Collectors.toMap(MessageDao.Summary::conversation, Function.identity()));

        record Entry(long peer, boolean desk, ChatGroup group, MessageDao.Summary summary) {
        }
        List<Entry> entries = new ArrayList<>();
        for (MessageDao.Summary s : summaries.values()) {
            long[] pair = ConversationKey.uidsOf(s.conversation());
            if (pair == null) {
                continue; // a room: listed below, with its name
            }
            if (pair[0] == caller.uid() || pair[1] == caller.uid()) {
                entries.add(new Entry(pair[0] == caller.uid() ? pair[1] : pair[0], false, null, s));
            } else { // staff: a customer's conversation with the desk
                entries.add(new Entry(pair[0] == deskUid ? pair[1] : pair[0], true, null, s));
            }
        }
        for (ChatGroup g : groups.groupsOf(caller.uid())) {
            MessageDao.Summary s = summaries.get(ConversationKey.group(g.groupId()));
            entries.add(new Entry(0, false, g, s != null ? s : new MessageDao.Summary(null, 0, 0)));
        }

        Set<Long> lastIds = entries.stream().map(e -> e.summary().lastId()).filter(id -> id > 0)
                .collect(Collectors.toSet());
        Map<Long, Message> last = lastIds.isEmpty() ? Map.of() : messages.findAll(lastIds).stream()
                .collect(Collectors.toMap(Message::id, Function.identity()));
        Set<Long> peerIds = entries.stream().map(Entry::peer).filter(uid -> uid > 0).collect(Collectors.toSet());
        Map<Long, User> peers = peerIds.isEmpty() ? Map.of() : users.findAll(peerIds).stream()
                .collect(Collectors.toMap(User::uid, Function.identity()));

        List<Conversation> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(new Conversation(e.peer() > 0 ? peers.get(e.peer()) : null, e.group(), e.desk(),
                    last.get(e.summary().lastId()), e.summary().unread()));
        }
        // stable: rooms without messages keep their order (by group id)
        out.sort(Comparator.comparingLong((Conversation c) -> c.lastMessage() == null ? 0 : c.lastMessage().id())
                .reversed());
        return new ConversationList(out);
    }
}
