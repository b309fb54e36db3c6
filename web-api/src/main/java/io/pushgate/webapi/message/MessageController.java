package io.pushgate.webapi.message;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Access;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.group.Membership;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.QueryParams;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.user.UserDao;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * POST /api/messages, GET /api/messages (a conversation's history), GET /api/groups/{gid}/messages, GET /api/sync,
 * and POST /api/messages/read.
 */
public final class MessageController {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 100;
    static final int DEFAULT_SYNC = 200;
    static final int MAX_SYNC = 500;

    private final MessageService service;
    private final MessageDao messages;
    private final UserDao users;
    private final GroupDao groups;
    private final DeskService desk;
    private final RequestBodies bodies;

    /** A page of messages, oldest first; {@code hasMore} when older (history) or newer (sync) ones remain. */
    public record Page(List<Message> messages, boolean hasMore) {
    }

    /**
     * A sync answer: messages oldest first, {@code hasMore} when newer ones remain, and {@code nextAfter}, the
     * cursor to pass as {@code after} next time (the last id returned, or the {@code after} given when none was).
     */
    public record SyncPage(List<Message> messages, boolean hasMore, long nextAfter) {
    }

    /** The body of POST /api/messages/read: {@code peer} or {@code group_id}, and {@code desk} for agents. */
    public record ReadRequest(Long peer, Long groupId, Long upToId, Boolean desk) {
    }

    public MessageController(MessageService service, MessageDao messages, UserDao users, GroupDao groups,
                             DeskService desk, RequestBodies bodies) {
        this.service = service;
        this.messages = messages;
        this.users = users;
        this.groups = groups;
        this.desk = desk;
        this.bodies = bodies;
    }

    public void send(Context ctx) {
        Caller caller = Access.caller(ctx);
        MessageService.Outcome outcome = service.send(caller, bodies.read(ctx, SendRequest.class));
        ctx.status(outcome.replayed() ? 200 : 201).json(outcome.sent());
    }

    /** GET /api/messages?peer=UID&before=ID&limit=N[&desk=true]. */
    public void history(Context ctx) {
        Caller caller = Access.caller(ctx);
        long peer = QueryParams.requiredId(ctx, "peer");
        String conversation;
        if (QueryParams.flag(ctx, "desk")) {
            conversation = ConversationKey.pair(peer, desk.readAs(caller));
        } else {
            conversation = ConversationKey.pair(caller.uid(), peer);
        }
        if (users.find(peer).isEmpty()) {
            throw ApiException.notFound("no user " + peer);
        }
        ctx.json(pageBefore(ctx, conversation));
    }

    /** GET /api/groups/{gid}/messages?before=ID&limit=N: members only. */
    public void groupHistory(Context ctx) {
        Caller caller = Access.caller(ctx);
        long gid = QueryParams.pathId(ctx, "gid");
        Membership.require(groups, gid, caller.uid());
        ctx.json(pageBefore(ctx, ConversationKey.group(gid)));
    }

    private Page pageBefore(Context ctx, String conversation) {
        long before = QueryParams.id(ctx, "before", Long.MAX_VALUE);
        int limit = QueryParams.limit(ctx, DEFAULT_PAGE, MAX_PAGE);
        List<Message> newestFirst = messages.pageBefore(conversation, before, limit + 1);
        boolean hasMore = newestFirst.size() > limit;
        List<Message> page = new ArrayList<>(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
        Collections.reverse(page);
        return new Page(page, hasMore);
    }

    /** GET /api/sync?after=ID&limit=N. */
    public void sync(Context ctx) {
        Caller caller = Access.caller(ctx);
        long after = QueryParams.cursor(ctx, "after");
        int limit = QueryParams.limit(ctx, DEFAULT_SYNC, MAX_SYNC);
        List<Message> found = messages.visibleAfter(caller.uid(), desk.deskUidFor(caller), after, limit + 1);
        boolean hasMore = found.size() > limit;
        List<Message> page = found.subList(0, Math.min(limit, found.size()));
        ctx.json(new SyncPage(page, hasMore, page.isEmpty() ? after : page.get(page.size() - 1).id()));
    }

    /** POST /api/messages/read {peer | group_id, up_to_id, desk?}. */
    public void read(Context ctx) {
        Caller caller = Access.caller(ctx);
        ReadRequest r = bodies.read(ctx, ReadRequest.class);
        if ((r.peer() == null) == (r.groupId() == null)) {
            throw ApiException.badRequest("exactly one of peer and group_id is required");
        }
        if (r.upToId() == null) {
            throw ApiException.badRequest("up_to_id is required");
        }
        if (r.groupId() != null) {
            service.markGroupRead(caller, r.groupId(), r.upToId());
        } else {
            service.markRead(caller, r.peer(), r.upToId(), Boolean.TRUE.equals(r.desk()));
        }
        ctx.status(204);
    }
}
