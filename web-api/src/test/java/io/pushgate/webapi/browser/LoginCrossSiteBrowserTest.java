package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pushgate.webapi.auth.Authenticator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Login CSRF from a real cross-site page: the app is at {@code 127.0.0.1:<port>}, the attacker's pages at
 * {@code localhost:<other port>} (another site), served by the JDK's HTTP server. Each page makes the visitor's
 * browser post the attacker's credentials to {@code /api/login}; afterwards the visitor must have no session.
 */
@ExtendWith(BrowserExtension.class)
class LoginCrossSiteBrowserTest {
    private static ChatStack stack;
    private static HttpServer attacker;

    @BeforeAll
    static void start() throws IOException {
        if (Chromium.missing() != null) {
            return; // every test is skipped, with the reason
        }
        stack = ChatStack.start();
        String login = stack.page("/api/login").toString();
        String credentials = "{\"username\":\"alice\",\"password\":\"demo\",\"x\":\"";
        Map<String, String> pages = Map.of(
                // a text/plain form sends name=value as is: {"username":…,"x":"="} is valid JSON
                "/form", "<form method='POST' enctype='text/plain' action='" + login + "'>"
                        + "<input type='hidden' name='" + credentials.replace("'", "&#39;") + "' value='\"}'>"
                        + "</form><script>document.forms[0].submit()</script>",
                "/fetch", "<script>fetch('" + login + "', {method: 'POST', mode: 'no-cors', credentials: 'include',"
                        + " headers: {'Content-Type': 'text/plain'}, body: '" + credentials + "\"}'})"
                        + ".finally(() => { document.title = 'sent'; })</script>");
        attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.forEach((path, html) -> attacker.createContext(path, exchange -> {
            byte[] body = ("<!doctype html><html><head><title>prize</title></head><body>" + html + "</body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }));
        attacker.start();
    }

    @AfterAll
    static void stop() {
        if (attacker != null) {
            attacker.stop(0);
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static URI attackerPage(String path) {
        return URI.create("http://localhost:" + attacker.getAddress().getPort() + path);
    }

    @Test
    void neitherATextPlainFormNorAFetchFromAnotherSiteSignsTheVisitorIn(Chromium browser) {
        Tab victim = browser.newTab("victim");
        victim.open(attackerPage("/form"));
        victim.until(d -> d.getCurrentUrl().startsWith(stack.page("/api/login").toString()));
        String answer = victim.driver().findElement(By.tagName("body")).getText();
        assertTrue(answer.contains("\"error\""), "the login was refused: " + answer);
        assertNoSession(victim);

        // the same with fetch() (no-cors, text/plain): the answer is opaque to the page, the cookie must not stick
        victim.open(attackerPage("/fetch"));
        victim.until(d -> "sent".equals(d.getTitle()));
        assertNoSession(victim);
    }

    /** In the app's own origin, the visitor's browser has no session cookie and /api/me answers 401. */
    private static void assertNoSession(Tab victim) {
        victim.open(stack.page("/api/me"));
        String me = victim.driver().findElement(By.tagName("body")).getText();
        assertTrue(me.contains("unauthorized"), "GET /api/me in the victim's browser: " + me);
        assertNull(victim.driver().manage().getCookieNamed(Authenticator.COOKIE));
        assertEquals(stack.base().getHost(), URI.create(victim.driver().getCurrentUrl()).getHost());
    }
}
