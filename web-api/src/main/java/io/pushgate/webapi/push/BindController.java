package io.pushgate.webapi.push;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Authenticator;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.desk.Desk;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RequestBodies;
import java.util.regex.Pattern;

/**
 * POST /api/bind {client_id}: binds a page's connection to the caller's uid and joins it to the caller's group
 * rooms (and, for desk staff, to the desk). A page calls it after every (re)connect, then /api/sync.
 */
public final class BindController {
    /** The contract's client_id: URL-safe (the push-server adds a node prefix with a dot), at most 64 characters. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.~-]{1,64}");

    private final PushChannel push;
    private final GroupDao groups;
    private final Desk desk;
    private final Authenticator auth;
    private final RequestBodies bodies;
    private final RateLimiter binds;

    /** The body of POST /api/bind. */
    public record BindRequest(String clientId) {
    }

    /** What the connection was joined to. */
    public record Bound(long uid, int groups, boolean desk) {
    }

    public BindController(PushChannel push, GroupDao groups, Desk desk, Authenticator auth, RequestBodies bodies,
                          RateLimiter binds) {
        this.push = push;
        this.groups = groups;
        this.desk = desk;
        this.auth = auth;
        this.bodies = bodies;
        this.binds = binds;
    }

    public void bind(Context ctx) {
        Caller caller = auth.require(ctx);
        String clientId = bodies.read(ctx, BindRequest.class).clientId();
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw ApiException.badRequest("client_id must be the id from the push-server's init frame");
        }
        binds.acquire(caller.uid());
        var groupIds = groups.groupIdsOf(caller.uid());
        boolean staff = desk.isStaff(caller);
        try {
            push.bindUid(clientId, caller.pushUid());
            for (long gid : groupIds) {
                push.joinGroup(clientId, PushChannel.groupOf(gid));
            }
            if (staff) {
                push.joinGroup(clientId, PushChannel.DESK_GROUP);
            }
        } catch (PushChannel.ClientNotConnectedException e) {
            throw new ApiException(404, "client_not_found", "client_id " + clientId + " is not connected");
        } catch (PushChannel.PushUnavailableException e) {
            throw new ApiException(503, "push_unavailable", "the push-server cannot be reached; retry shortly");
        }
        ctx.json(new Bound(caller.uid(), groupIds.size(), staff));
    }
}
