package io.pushgate.webapi.user;

import io.javalin.http.Context;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.QueryParams;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** GET /api/users/{uid} and GET /api/users?ids=a,b: public profiles, for logged-in callers. */
public final class UserController {
    static final int MAX_IDS = 100;

    private final UserDao users;

    /** Several profiles. */
    public record UserList(List<User> users) {
    }

    public UserController(UserDao users) {
        this.users = users;
    }

    public void one(Context ctx) {
        long uid = QueryParams.pathId(ctx, "uid");
        ctx.json(users.find(uid).orElseThrow(() -> ApiException.notFound("no user " + uid)));
    }

    public void many(Context ctx) {
        String ids = ctx.queryParam("ids");
        if (ids == null || ids.isBlank()) {
            throw ApiException.badRequest("ids is required: a comma-separated list of uids");
        }
        Set<Long> uids = new LinkedHashSet<>();
        for (String part : ids.split(",")) {
            uids.add(QueryParams.parseId("ids", part.trim()));
        }
        if (uids.size() > MAX_IDS) {
            throw ApiException.badRequest("at most " + MAX_IDS + " ids at once");
        }
        ctx.json(new UserList(users.findAll(uids)));
    }
}
