package io.pushgate.webapi.group;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Access;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.QueryParams;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.user.UserDao;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET/POST /api/groups, POST /api/groups/{gid}/join, /leave and /invites.
 *
 * <p>A room is public (listed to everyone, anyone may join) or private (listed only to its members and
 * invitees, joined only with its creator's invite; to anyone else it does not exist: 404). Joining or leaving
 * also moves the caller's live connections in or out of the room's push group; a connection that misses it
 * catches up at its next bind. Every change (create, join, leave, invite) counts against the caller's
 * group-change budget.
 */
public final class GroupController {
    private static final Logger log = LoggerFactory.getLogger(GroupController.class);
    static final int MAX_NAME = 64;

    private final GroupDao groups;
    private final UserDao users;
    private final PushChannel push;
    private final RequestBodies bodies;
    private final RateLimiter changes;

    /** The body of POST /api/groups: {@code visibility} is {@code public} (the default) or {@code private}. */
    public record CreateRequest(String name, String visibility) {
    }

    /** The body of POST /api/groups/{gid}/invites. */
    public record InviteRequest(Long uid) {
    }

    /** An invite: {@code uid} may join private room {@code groupId}. */
    public record Invite(long groupId, long uid) {
    }

    /** GET /api/groups. */
    public record GroupList(List<ChatGroup> groups) {
    }

    public GroupController(GroupDao groups, UserDao users, PushChannel push, RequestBodies bodies,
                           RateLimiter changes) {
        this.groups = groups;
        this.users = users;
        this.push = push;
        this.bodies = bodies;
        this.changes = changes;
    }

    /** Public rooms, and the caller's own and invited ones. */
    public void all(Context ctx) {
        Caller caller = Access.caller(ctx);
        ctx.json(new GroupList(groups.all(caller.uid())));
    }

    public void create(Context ctx) {
        Caller caller = Access.caller(ctx);
        CreateRequest request = bodies.read(ctx, CreateRequest.class);
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME) {
            throw ApiException.badRequest("name must be 1-" + MAX_NAME + " characters");
        }
        String visibility = request.visibility() == null ? ChatGroup.PUBLIC : request.visibility();
        if (!visibility.equals(ChatGroup.PUBLIC) && !visibility.equals(ChatGroup.PRIVATE)) {
            throw ApiException.badRequest("visibility must be public or private");
        }
        changes.acquire(caller.uid());
        long gid = groups.inTransaction(tx -> {
            long id = tx.insert(name, visibility, caller.uid());
            tx.join(id, caller.uid());
            tx.invite(id, caller.uid(), caller.uid()); // the creator may always come back
            return id;
        });
        moveConnections(caller, gid, push::joinGroup);
        ctx.status(201).json(groups.find(gid, caller.uid()).orElseThrow());
    }

    /** Anyone may join a public room; a private one needs an invite (without one it is not found). */
    public void join(Context ctx) {
        changeMembership(ctx, groups::join, push::joinGroup);
    }

    public void leave(Context ctx) {
        changeMembership(ctx, groups::leave, push::leaveGroup);
    }

    /** Stores the caller's new membership of the room, moves their live connections, answers the room. */
    private void changeMembership(Context ctx, BiConsumer<Long, Long> store, BiConsumer<String, String> move) {
        Caller caller = Access.caller(ctx);
        long gid = QueryParams.pathId(ctx, "gid");
        changes.acquire(caller.uid());
        visible(gid, caller);
        store.accept(gid, caller.uid());
        moveConnections(caller, gid, move);
        ctx.json(visible(gid, caller));
    }

    /** POST /api/groups/{gid}/invites {uid}: the room's creator lets {@code uid} join (and see) it. */
    public void invite(Context ctx) {
        Caller caller = Access.caller(ctx);
        long gid = QueryParams.pathId(ctx, "gid");
        InviteRequest request = bodies.read(ctx, InviteRequest.class);
        if (request.uid() == null) {
            throw ApiException.badRequest("uid is required");
        }
        changes.acquire(caller.uid());
        if (visible(gid, caller).createdBy() != caller.uid()) {
            throw ApiException.forbidden("only the creator of group " + gid + " invites to it");
        }
        long invitee = request.uid();
        if (users.find(invitee).isEmpty()) {
            throw ApiException.notFound("no user " + invitee);
        }
        groups.invite(gid, invitee, caller.uid());
        ctx.status(201).json(new Invite(gid, invitee));
    }

    private ChatGroup visible(long gid, Caller caller) {
        return groups.find(gid, caller.uid()).orElseThrow(() -> ApiException.notFound("no group " + gid));
    }

    private void moveConnections(Caller caller, long gid, BiConsumer<String, String> move) {
        try {
            for (String clientId : push.clientIdsOfUid(caller.pushUid())) {
                try {
                    move.accept(clientId, PushChannel.groupOf(gid));
                } catch (PushChannel.ClientNotConnectedException gone) {
                    // closed meanwhile: nothing to move
                }
            }
        } catch (RuntimeException e) {
            log.warn("group {} membership of {} stored but connections not moved: {}", gid, caller.uid(), e.toString());
        }
    }
}
