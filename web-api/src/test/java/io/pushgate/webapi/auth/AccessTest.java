package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.security.RouteRole;
import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.user.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * The routes table is the access table: every route declares one {@link Access}, and the access check holds each
 * route to it (401 without a session, 403 for the wrong role, nothing looked up for a public route).
 */
class AccessTest extends StackTest {
    /** A demo account of each role. */
    private static final Map<Role, String> ACCOUNTS = Map.of(Role.BUYER, "bob", Role.SELLER, "shop",
            Role.AGENT, "agent1", Role.SUPPORT, "support", Role.ADMIN, "admin");

    @Test
    void everyRouteDeclaresExactlyOneAccess() {
        Map<String, Set<RouteRole>> routes = stack.api.routeRoles();
        assertEquals(stack.api.routes().size(), routes.size());
        List<String> undeclared = new ArrayList<>();
        routes.forEach((route, roles) -> {
            if (roles.size() != 1 || !(roles.iterator().next() instanceof Access)) {
                undeclared.add(route + " " + roles);
            }
        });
        assertEquals(List.of(), undeclared, "every route declares exactly one Access in WebApi.routes");
    }

    @Test
    void everyRouteThatIsNotPublicRefusesACallerWithoutAValidSessionWith401() {
        int checked = 0;
        for (String route : routes(Access.SIGNED_IN, Access.ADMIN)) {
            for (String token : new String[] {null, "not-a-session"}) {
                Reply reply = stack.call(request(route, token));
                assertEquals(401, reply.status(), route + " with token " + token + ": " + reply);
                assertEquals("unauthorized", reply.errorCode(), route);
                assertTrue(reply.body().path("error").path("message").asString().startsWith(
                        token == null ? "log in first" : "the session has expired"), route + ": " + reply);
                checked++;
            }
        }
        assertTrue(checked >= 40, "too few routes checked: " + checked);
    }

    @Test
    void aPublicRouteLooksUpNoSessionSoABogusTokenChangesNothing() {
        OkHttpClient noRedirects = stack.http.newBuilder().followRedirects(false).build();
        List<String> routes = routes(Access.PUBLIC);
        assertTrue(routes.size() >= 5, routes.toString());
        for (String route : routes) {
            int anonymous = status(noRedirects, request(route, null));
            int bogus = status(noRedirects, request(route, "not-a-session"));
            assertNotEquals(401, anonymous, route);
            assertNotEquals(403, anonymous, route);
            assertEquals(anonymous, bogus, route + " answers the same with a bogus token");
        }
        assertEquals(200, stack.anonymous().get("/login.html").status(), "pages are not routes: served to anyone");
    }

    @Test
    void everyRoleMaySignInAndOnlyAdminsPassTheAdminRoutes() {
        List<String> adminRoutes = routes(Access.ADMIN);
        assertEquals(List.of("GET /api/admin/online"), adminRoutes);
        for (Role role : Role.values()) {
            TestStack.User user = stack.login(ACCOUNTS.get(role));
            Reply me = user.get("/api/me");
            assertEquals(200, me.status(), role + ": " + me);
            assertEquals(role.value(), me.body().get("role").asString());
            for (String route : adminRoutes) {
                Reply reply = stack.call(request(route, user.token));
                if (role == Role.ADMIN) {
                    assertEquals(200, reply.status(), route + " as admin: " + reply);
                } else {
                    assertEquals(403, reply.status(), route + " as " + role + ": " + reply);
                    assertEquals("forbidden", reply.errorCode());
                    assertEquals("only admin accounts may do this",
                            reply.body().path("error").path("message").asString());
                }
            }
        }
    }

    /** The desk's own rule, checked by the feature since it depends on the request: agents and support only. */
    @Test
    void onlyDeskStaffReadAndAnswerAsTheDesk() {
        TestStack.User customer = stack.newUser("buyer");
        long support = stack.uidOf("support");
        long asked = customer.send(Map.of("to_uid", support, "type", "text", "content", "help"))
                .body().get("message").get("id").asLong();
        for (Role role : Role.values()) {
            TestStack.User user = stack.login(ACCOUNTS.get(role));
            boolean staff = role == Role.AGENT || role == Role.SUPPORT;
            Reply history = user.get("/api/messages?peer=" + customer.uid + "&desk=true");
            Reply read = user.post("/api/messages/read", Map.of("peer", customer.uid, "up_to_id", asked, "desk", true));
            Reply answer = user.send(Map.of("to_uid", customer.uid, "type", "text", "content", "from " + role,
                    "from_desk", true));
            assertEquals(List.of(staff ? 200 : 403, staff ? 204 : 403, staff ? 201 : 403),
                    List.of(history.status(), read.status(), answer.status()), role + ": " + history + read + answer);
        }
    }

    @Test
    void theShapeOfABodyIsCheckedBeforeWhoSentIt() {
        Reply notJson = stack.anonymous().postRaw("/api/messages", "hello", okhttp3.MediaType.get("text/plain"));
        assertEquals(415, notJson.status(), "the JSON check runs before the access check: " + notJson);
    }

    private static List<String> routes(Access... accesses) {
        List<String> out = new ArrayList<>();
        stack.api.routeRoles().forEach((route, roles) -> {
            for (Access access : accesses) {
                if (roles.contains(access)) {
                    out.add(route);
                }
            }
        });
        return out;
    }

    /** A request for {@code "POST /api/groups/{gid}/join"}: every path parameter 1, a JSON body for a POST. */
    private static Request request(String route, String token) {
        String[] methodAndPath = route.split(" ", 2);
        String path = methodAndPath[1].replaceAll("\\{[^}]+}", "1");
        Request.Builder b = new Request.Builder().url(stack.api.uri() + path);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (methodAndPath[0].equals("POST")) {
            b.post(RequestBody.create("{}", TestStack.JSON));
        }
        return b.build();
    }

    private static int status(OkHttpClient client, Request request) {
        try (var response = client.newCall(request).execute()) {
            return response.code();
        } catch (java.io.IOException e) {
            throw new AssertionError(request + " failed: " + e, e);
        }
    }
}
