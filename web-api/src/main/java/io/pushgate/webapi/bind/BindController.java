package io.pushgate.webapi.bind;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Access;
import io.pushgate.webapi.auth.Authenticator;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.auth.Sessions;
import io.pushgate.webapi.desk.DeskService;
import io.pushgate.webapi.group.GroupDao;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.push.PushChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * POST /api/bind {client_id}: binds a page's connection to the caller's uid and joins it to the caller's group
 * rooms (and, for desk staff, to the desk), in one push-server round trip that also records which login session
 * bound it (so that logout closes it). A page calls it after every (re)connect, then /api/sync. A connection that
 * is not connected is 404 {@code client_not_found}, an unreachable push-server 503 {@code push_unavailable}
 * ({@code http.ErrorMapping}).
 */
public final class BindController {
    /** The contract's client_id: URL-safe (the push-server adds a node prefix with a dot), at most 64 characters. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.~-]{1,64}");

    private final PushChannel push;
    private final GroupDao groups;
    private final DeskService desk;
    private final RequestBodies bodies;
    private final RateLimiter binds;

    /** The body of POST /api/bind. */
    public record BindRequest(String clientId) {
    }

    /** What the connection was joined to. */
    public record Bound(long uid, int groups, boolean desk) {
    }

    public BindController(PushChannel push, GroupDao groups, DeskService desk, RequestBodies bodies,
                          RateLimiter binds) {
        this.push = push;
        this.groups = groups;
        this.desk = desk;
        this.bodies = bodies;
        this.binds = binds;
    }

    public void bind(Context ctx) {
        Caller caller = Access.caller(ctx);
        String clientId = bodies.read(ctx, BindRequest.class).clientId();
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw ApiException.badRequest("client_id must be the id from the push-server's init frame");
        }
        binds.acquire(caller.uid());
        var groupIds = groups.groupIdsOf(caller.uid());
        Optional<String> deskGroup = desk.pushGroupOf(caller);
        List<String> pushGroups = new ArrayList<>(groupIds.size() + 1);
        groupIds.forEach(gid -> pushGroups.add(PushChannel.groupOf(gid)));
        deskGroup.ifPresent(pushGroups::add);
        push.bind(clientId, caller.pushUid(), pushGroups, Sessions.publicId(Authenticator.token(ctx)));
        ctx.json(new Bound(caller.uid(), groupIds.size(), deskGroup.isPresent()));
    }
}
