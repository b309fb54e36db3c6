package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.Test;

/** POST /api/login refuses what a browser sends for another site's page, though it has no session yet. */
class LoginCrossSiteTest extends StackTest {
    private static final String ALICE = "{\"username\":\"alice\",\"password\":\"demo\"}";

    @Test
    void aLoginFromAnotherSiteIs403AndSetsNoCookieWhileOneFromTheAppsPageWorks() {
        assertRefused(login().header("Origin", "http://evil.example"));
        assertRefused(login().header("Sec-Fetch-Site", "cross-site"));
        assertRefused(login().header("Sec-Fetch-Site", "same-site"));
        // from the app's own page, or from no browser page at all, it works
        String self = stack.api.uri().toString();
        assertEquals(200, stack.call(login().header("Origin", self).header("Sec-Fetch-Site", "same-origin")
                .build()).status());
        assertEquals(200, stack.call(login().build()).status());
    }

    private static Request.Builder login() {
        return stack.anonymous().request("/api/login").post(RequestBody.create(ALICE, TestStack.JSON));
    }

    private static void assertRefused(Request.Builder request) {
        TestStack.Reply reply = stack.call(request.build());
        assertEquals(403, reply.status(), reply.toString());
        assertEquals("cross_site_request", reply.errorCode());
        assertNull(reply.headers().get("Set-Cookie"));
    }
}
