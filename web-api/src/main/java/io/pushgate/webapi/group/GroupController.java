package io.pushgate.webapi.group;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Authenticator;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.QueryParams;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.push.PushChannel;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GET/POST /api/groups and POST /api/groups/{gid}/join, /leave. Joining or leaving also moves the caller's live
 * connections in or out of the room's push group; a connection that misses it catches up at its next bind. Every
 * change (create, join, leave) counts against the caller's group-change budget.
 */
public final class GroupController {
    private static final Logger log = LoggerFactory.getLogger(GroupController.class);
    static final int MAX_NAME = 64;

    private final GroupDao groups;
    private final PushChannel push;
    private final Authenticator auth;
    private final RequestBodies bodies;
    private final RateLimiter changes;

    /** The body of POST /api/groups. */
    public record CreateRequest(String name) {
    }

    /** GET /api/groups. */
    public record GroupList(List<ChatGroup> groups) {
    }

    public GroupController(GroupDao groups, PushChannel push, Authenticator auth, RequestBodies bodies,
                           RateLimiter changes) {
        this.groups = groups;
        this.push = push;
        this.auth = auth;
        this.bodies = bodies;
        this.changes = changes;
    }

    public void all(Context ctx) {
        Caller caller = auth.require(ctx);
        ctx.json(new GroupList(groups.all(caller.uid())));
    }

    public void create(Context ctx) {
        Caller caller = auth.require(ctx);
        CreateRequest request = bodies.read(ctx, CreateRequest.class);
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME) {
            throw ApiException.badRequest("name must be 1-" + MAX_NAME + " characters");
        }
        changes.acquire(caller.uid());
        long gid = groups.inTransaction(tx -> {
            long id = tx.insert(name, caller.uid());
            tx.join(id, caller.uid());
            return id;
        });
        moveConnections(caller, gid, push::joinGroup);
        ctx.status(201).json(groups.find(gid, caller.uid()).orElseThrow());
    }

    public void join(Context ctx) {
        Caller caller = auth.require(ctx);
        long gid = QueryParams.pathId(ctx, "gid");
        changes.acquire(caller.uid());
        if (groups.find(gid, caller.uid()).isEmpty()) {
            throw ApiException.notFound("no group " + gid);
        }
        groups.join(gid, caller.uid());
        moveConnections(caller, gid, push::joinGroup);
        ctx.json(groups.find(gid, caller.uid()).orElseThrow());
    }

    public void leave(Context ctx) {
        Caller caller = auth.require(ctx);
        long gid = QueryParams.pathId(ctx, "gid");
        changes.acquire(caller.uid());
        if (groups.find(gid, caller.uid()).isEmpty()) {
            throw ApiException.notFound("no group " + gid);
        }
        groups.leave(gid, caller.uid());
        moveConnections(caller, gid, push::leaveGroup);
        ctx.json(groups.find(gid, caller.uid()).orElseThrow());
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
