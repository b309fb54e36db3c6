package io.pushgate.webapi.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AdminTest extends StackTest {
    /** The push-server's count of answered admin calls of one method (ServerMetrics' timer). */
    private static final Pattern ADMIN_CALLS =
            Pattern.compile("pushgate_admin_call_seconds_count\\{.*method=\"([a-z_]+)\".*} ([0-9.eE+]+)");

    @Test
    void adminsSeeOnlineUsersWithNicknamesConnectionsGroupsAndStats() {
        User alice = stack.login("alice");
        User agent = stack.login("agent1");
        try (Socket one = alice.connectAndBind(); Socket two = alice.connectAndBind();
             Socket three = agent.connectAndBind()) {
            Reply online = stack.login("admin").get("/api/admin/online");
            assertEquals(200, online.status(), online.toString());
            JsonNode entry = null;
            for (JsonNode u : online.body().get("uids")) {
                if (u.get("uid").asString().equals(Long.toString(alice.uid))) {
                    entry = u;
                }
            }
            assertEquals("大美如斯", entry.get("nickname").asString());
            assertEquals(2, entry.get("connections").asInt());
            assertEquals(1, online.body().get("groups").get("desk").asInt());
            assertTrue(online.body().get("stats").get("clients").asInt() >= 3);
        }
    }

    @Test
    void theOnlineViewIsRightAndCostsTheSameAdminRequestsForOneUserAsForFive() {
        User admin = stack.login("admin");
        List<User> users = new ArrayList<>();
        List<Socket> sockets = new ArrayList<>();
        try {
            users.add(stack.newUser("buyer"));
            sockets.add(users.get(0).connectAndBind());
            Map<String, Integer> before = adminCalls();
            assertEquals(Map.of(users.get(0).uid, 1), connectionsOf(admin, users));
            Map<String, Integer> forOne = since(before);

            for (int i = 1; i < 5; i++) {
                users.add(stack.newUser("buyer"));
                for (int c = 0; c < i; c++) { // user i has i connections
                    sockets.add(users.get(i).connectAndBind());
                }
            }
            before = adminCalls();
            Map<Long, Integer> expected = new HashMap<>();
            for (int i = 0; i < 5; i++) {
                expected.put(users.get(i).uid, Math.max(1, i));
            }
            assertEquals(expected, connectionsOf(admin, users));
            Map<String, Integer> forFive = since(before);

            assertEquals(forOne, forFive, "admin calls of one refresh, by method");
            assertEquals(1, forFive.get("batch"), "every uid's connections in one batch: " + forFive);
            assertEquals(null, forFive.get("get_client_ids_by_uid"), forFive.toString());
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    /** The connection counts GET /api/admin/online shows for {@code users}. */
    private static Map<Long, Integer> connectionsOf(User admin, List<User> users) {
        Reply online = admin.get("/api/admin/online");
        assertEquals(200, online.status(), online.toString());
        Map<Long, Integer> counts = new HashMap<>();
        for (JsonNode u : online.body().get("uids")) {
            for (User user : users) {
                if (u.get("uid").asString().equals(Long.toString(user.uid))) {
                    counts.put(user.uid, u.get("connections").asInt());
                }
            }
        }
        return counts;
    }

    /** The admin requests the push-server answered since {@code before}, by method (none left out). */
    private static Map<String, Integer> since(Map<String, Integer> before) {
        Map<String, Integer> calls = new TreeMap<>();
        adminCalls().forEach((method, n) -> {
            int made = n - before.getOrDefault(method, 0);
            if (made > 0) {
                calls.put(method, made);
            }
        });
        return calls;
    }

    /** Every admin call the push-server has answered, by method, from its metrics. */
    private static Map<String, Integer> adminCalls() {
        Request scrape = new Request.Builder().url(stack.pushServer.adminUri() + "/metrics")
                .header("Authorization", "Bearer " + stack.secret).build();
        try (Response response = stack.http.newCall(scrape).execute()) {
            assertEquals(200, response.code());
            Map<String, Integer> calls = new HashMap<>();
            for (String line : response.body().string().split("\n")) {
                Matcher m = ADMIN_CALLS.matcher(line);
                if (m.matches()) {
                    calls.merge(m.group(1), (int) Double.parseDouble(m.group(2)), Integer::sum);
                }
            }
            assertTrue(calls.containsKey("get_all_uids"), "no admin call in the metrics: " + calls);
            return calls;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everyoneElseIsRefused() {
        Reply refused = stack.login("alice").get("/api/admin/online");
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.errorCode());
        assertEquals(401, stack.anonymous().get("/api/admin/online").status());
    }
}
