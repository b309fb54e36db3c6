package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

class AuthTest extends StackTest {

    @Test
    void loginReturnsTokenUserAndHttpOnlySameSiteCookie() {
        TestStack.Reply reply = stack.anonymous().post("/api/login", Map.of("username", "alice", "password", "demo"));
        assertEquals(200, reply.status());
        assertNotNull(reply.body().get("token").asString());
        assertEquals("alice", reply.body().get("user").get("username").asString());
        assertEquals("大美如斯", reply.body().get("user").get("nickname").asString());
        assertEquals("buyer", reply.body().get("user").get("role").asString());
        List<String> cookies = reply.headers().values("Set-Cookie");
        String cookie = cookies.stream().filter(c -> c.startsWith(Authenticator.COOKIE + "=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        // beside it the hint pages read (no secret in it), so that a signed-out page asks for no session
        String hint = cookies.stream().filter(c -> c.startsWith(AuthController.SIGNED_IN_HINT + "=")).findFirst()
                .orElseThrow(() -> new AssertionError(cookies.toString()));
        assertTrue(hint.startsWith(AuthController.SIGNED_IN_HINT + "=1;"), hint);
        assertFalse(hint.contains("HttpOnly"), hint);
        assertTrue(hint.contains("SameSite=Strict"), hint);
        assertEquals(2, cookies.size(), cookies.toString());
    }

    @Test
    void wrongPasswordIs401() {
        TestStack.Reply reply = stack.anonymous().post("/api/login", Map.of("username", "alice", "password", "nope"));
        assertEquals(401, reply.status());
        assertEquals("unauthorized", reply.errorCode());
    }

    @Test
    void unknownUserIs401() {
        TestStack.Reply reply = stack.anonymous().post("/api/login", Map.of("username", "nobody", "password", "demo"));
        assertEquals(401, reply.status());
        assertEquals("unauthorized", reply.errorCode());
    }

    @Test
    void malformedLoginBodyIs400() {
        TestStack.Reply notJson = stack.anonymous().postRaw("/api/login", "{username:", TestStack.JSON);
        assertEquals(400, notJson.status());
        assertEquals("bad_request", notJson.errorCode());
        TestStack.Reply missing = stack.anonymous().post("/api/login", Map.of("username", "alice"));
        assertEquals(400, missing.status());
        TestStack.Reply wrongType = stack.anonymous().postRaw("/api/login", "{\"username\":[1],\"password\":\"x\"}",
                TestStack.JSON);
        assertEquals(400, wrongType.status());
        TestStack.Reply empty = stack.anonymous().postRaw("/api/login", "", TestStack.JSON);
        assertEquals(400, empty.status());
    }

    @Test
    void meWithBearerToken() {
        TestStack.User bob = stack.login("bob");
        TestStack.Reply me = bob.get("/api/me");
        assertEquals(200, me.status());
        assertEquals(bob.uid, me.body().get("uid").asLong());
        assertEquals("bob", me.body().get("username").asString());
    }

    @Test
    void meWithoutSessionIs401() {
        assertEquals(401, stack.anonymous().get("/api/me").status());
        TestStack.Reply bogus = stack.call(new Request.Builder().url(stack.api.uri() + "/api/me")
                .header("Authorization", "Bearer not-a-token").build());
        assertEquals(401, bogus.status());
        assertEquals("unauthorized", bogus.errorCode());
    }

    @Test
    void cookieWorksForReadsAndSameOriginWrites() {
        TestStack.User bob = stack.login("bob");
        TestStack.Reply me = stack.call(new Request.Builder().url(stack.api.uri() + "/api/me")
                .header("Cookie", Authenticator.COOKIE + "=" + bob.token).build());
        assertEquals(200, me.status());
        String origin = "http://" + stack.api.uri().getAuthority();
        TestStack.Reply write = stack.call(new Request.Builder().url(stack.api.uri() + "/api/groups")
                .header("Cookie", Authenticator.COOKIE + "=" + bob.token)
                .header("Origin", origin)
                .post(RequestBody.create("{\"name\":\"same origin\"}", TestStack.JSON)).build());
        assertEquals(201, write.status(), write.toString());
    }

    @Test
    void cookieAuthenticatedCrossSiteWriteIs403() {
        TestStack.User bob = stack.login("bob");
        TestStack.Reply foreignOrigin = stack.call(new Request.Builder().url(stack.api.uri() + "/api/groups")
                .header("Cookie", Authenticator.COOKIE + "=" + bob.token)
                .header("Origin", "https://evil.example")
                .post(RequestBody.create("{\"name\":\"csrf\"}", TestStack.JSON)).build());
        assertEquals(403, foreignOrigin.status());
        assertEquals("cross_site_request", foreignOrigin.errorCode());
        TestStack.Reply crossSite = stack.call(new Request.Builder().url(stack.api.uri() + "/api/groups")
                .header("Cookie", Authenticator.COOKIE + "=" + bob.token)
                .header("Sec-Fetch-Site", "cross-site")
                .post(RequestBody.create("{\"name\":\"csrf\"}", TestStack.JSON)).build());
        assertEquals(403, crossSite.status());
    }

    @Test
    void logoutEndsTheSession() {
        TestStack.User alice = stack.login("alice");
        TestStack.Reply logout = alice.post("/api/logout", Map.of());
        assertEquals(204, logout.status());
        assertEquals(401, alice.get("/api/me").status());
        // both cookies are cleared: the session's and the pages' hint
        List<String> cookies = logout.headers().values("Set-Cookie");
        for (String name : List.of(Authenticator.COOKIE, AuthController.SIGNED_IN_HINT)) {
            assertTrue(cookies.stream().anyMatch(c -> c.startsWith(name + "=;")
                    && c.contains("Expires=Thu, 01 Jan 1970")), name + " in " + cookies);
        }
    }

    @Test
    void configIsPublicAndNamesTheWebSocket() {
        TestStack.Reply config = stack.anonymous().get("/api/config");
        assertEquals(200, config.status());
        assertEquals("ws://localhost:8282/", config.body().get("ws_url").asString());
        assertEquals("[\"ws://localhost:8282/\"]", config.body().get("ws_urls").toString(), "every node's URL");
        assertEquals(stack.uidOf("support"), config.body().get("support_uid").asLong());
    }

    @Test
    void rootRedirectsToLoginPage() {
        okhttp3.OkHttpClient noRedirects = stack.http.newBuilder().followRedirects(false).build();
        try (var response = noRedirects.newCall(new Request.Builder().url(stack.api.uri() + "/").build()).execute()) {
            assertEquals(302, response.code());
            assertEquals("/login.html", response.header("Location"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownApiRouteIsJson404() {
        TestStack.Reply reply = stack.login("bob").get("/api/nope");
        assertEquals(404, reply.status());
        assertEquals("not_found", reply.errorCode());
    }
}
