package io.pushgate.webapi.admin;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Authenticator;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.user.Role;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** GET /api/admin/online: who is connected, the push groups and the push-server's counters. Admins only. */
public final class AdminController {
    private final UserDao users;
    private final PushChannel push;
    private final Authenticator auth;

    /** An online user. {@code nickname} is null for a uid web-api does not know. */
    public record OnlineUser(String uid, String nickname, int connections) {
    }

    /** The answer. */
    public record Online(List<OnlineUser> uids, Map<String, Integer> groups, Map<String, Object> stats) {
    }

    public AdminController(UserDao users, PushChannel push, Authenticator auth) {
        this.users = users;
        this.push = push;
        this.auth = auth;
    }

    public void online(Context ctx) {
        auth.require(ctx, Role.ADMIN);
        Online online;
        try {
            List<String> uids = push.onlineUids();
            List<Long> known = uids.stream().filter(u -> u.matches("[1-9][0-9]{0,18}")).map(Long::parseLong).toList();
            Map<Long, User> profiles = known.isEmpty() ? Map.of() : users.findAll(known).stream()
                    .collect(Collectors.toMap(User::uid, Function.identity()));
            Map<String, Integer> connections = push.connectionCounts(uids); // one round trip for them all
            List<OnlineUser> out = new ArrayList<>();
            for (String uid : uids) {
                User user = uid.matches("[1-9][0-9]{0,18}") ? profiles.get(Long.parseLong(uid)) : null;
                out.add(new OnlineUser(uid, user == null ? null : user.nickname(), connections.getOrDefault(uid, 0)));
            }
            online = new Online(out, push.groups(), push.stats());
        } catch (PushChannel.PushUnavailableException e) {
            throw new ApiException(503, "push_unavailable", "the push-server cannot be reached");
        }
        ctx.json(online);
    }
}
