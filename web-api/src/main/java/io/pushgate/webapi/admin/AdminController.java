package io.pushgate.webapi.admin;

import io.javalin.http.Context;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * GET /api/admin/online: who is connected, the push groups and the push-server's counters. Admins only (the route
 * declares it); the push-server being unreachable is 503 {@code push_unavailable} ({@code http.ErrorMapping}).
 */
public final class AdminController {
    private final UserDao users;
    private final PushChannel push;

    /** An online user. {@code nickname} is null for a uid web-api does not know. */
    public record OnlineUser(String uid, String nickname, int connections) {
    }

    /** The answer. */
    public record Online(List<OnlineUser> uids, Map<String, Integer> groups, Map<String, Object> stats) {
    }

    public AdminController(UserDao users, PushChannel push) {
        this.users = users;
        this.push = push;
    }

    public void online(Context ctx) {
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
        ctx.json(new Online(out, push.groups(), push.stats()));
    }
}
