package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.http.ContentSecurityPolicy;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * Every page is served with the strict Content-Security-Policy and runs under it in Chromium without a single
 * violation (a listener installed before any page script records every {@code securitypolicyviolation}), and
 * leaves the console without an error, signed out and signed in.
 */
@ExtendWith(BrowserExtension.class)
class PageSecurityPolicyBrowserTest {
    /** Records every CSP violation of the document in {@code window.__cspViolations}, before the page runs. */
    private static final String RECORD_VIOLATIONS = """
            () => {
              const seen = [];
              Object.defineProperty(window, '__cspViolations', { value: seen });
              document.addEventListener('securitypolicyviolation', (e) => seen.push(
                e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':'
                + e.lineNumber));
            }""";
    /** Counts the document's fetches still waiting for an answer in {@code window.__fetching}. */
    private static final String COUNT_FETCHES = """
            () => {
              let fetching = 0;
              Object.defineProperty(window, '__fetching', { get: () => fetching });
              const fetch = window.fetch;
              window.fetch = (...args) => {
                fetching += 1;
                return fetch(...args).finally(() => { fetching -= 1; });
              };
            }""";
    private static final List<String> PAGES = List.of("/", "/login.html", "/chat.html", "/group.html", "/desk.html",
            "/admin.html", "/product.html", "/product.html?id=1");
    private static ChatStack stack;

    @BeforeAll
    static void startStack(Chromium browser) {
        if (Chromium.missing() == null) { // else every test is skipped, with the reason
            stack = ChatStack.start();
            browser.preload(RECORD_VIOLATIONS);
            browser.preload(COUNT_FETCHES);
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> violations(Tab tab) {
        return (List<String>) tab.script("return window.__cspViolations ? Array.from(window.__cspViolations) : null;");
    }

    /** Waits until the page has loaded and none of its fetches is waiting, so whatever it logs has been logged. */
    private static void settle(Tab tab) {
        tab.until(d -> Boolean.TRUE.equals(tab.script(
                "return document.readyState === 'complete' && window.__fetching === 0;")));
    }

    private static Tab loggedIn(Chromium browser, String username) {
        return browser.newTab(username).login(stack.base(), username, "demo");
    }

    @Test
    void everyPageIsServedWithTheStrictPolicy() throws IOException, InterruptedException {
        String expected = ContentSecurityPolicy.forPages(List.of(stack.wsUrl()));
        assertTrue(expected.contains("frame-ancestors 'none'") && expected.contains("script-src 'self';"), expected);
        HttpClient http = HttpClient.newHttpClient();
        for (String page : List.of("/login.html", "/product.html", "/chat.html", "/group.html", "/desk.html",
                "/admin.html", "/js/chat.js", "/css/app.css")) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(stack.page(page)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(200, response.statusCode(), page);
            assertEquals(expected, response.headers().firstValue("Content-Security-Policy").orElse(null), page);
        }
    }

    @Test
    void everyPageRunsWithoutAViolation(Chromium browser) {
        Tab anonymous = browser.newTab("anonymous").open(stack.page("/login.html"));
        anonymous.await(By.id("username"));
        assertEquals(List.of(), violations(anonymous), "login.html");

        Tab alice = loggedIn(browser, "alice");
        for (String page : List.of("/chat.html", "/group.html")) {
            alice.open(stack.page(page)).awaitOnline();
            assertEquals(List.of(), violations(alice), page);
        }
        alice.open(stack.page("/product.html?id=1")).await(By.id("contact-seller")); // the card is shown
        assertEquals(List.of(), violations(alice), "product.html");
        Tab agent = loggedIn(browser, "agent1");
        agent.open(stack.page("/desk.html")).awaitOnline();
        assertEquals(List.of(), violations(agent), "desk.html");
        Tab admin = loggedIn(browser, "admin");
        admin.open(stack.page("/admin.html")).await(By.cssSelector("#stats dt"));
        assertEquals(List.of(), violations(admin), "admin.html");
    }

    @Test
    void theSiteHasAFavicon() throws IOException, InterruptedException {
        HttpResponse<byte[]> icon = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(stack.page("/favicon.ico")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, icon.statusCode());
        String type = icon.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.startsWith("image/"), type);
        assertTrue(icon.body().length > 0);
    }

    @Test
    void everyPageLeavesTheConsoleWithoutAnError(Chromium browser) {
        browser.consoleErrors(); // what earlier tests left
        Tab anonymous = browser.newTab("signed-out");
        for (String page : PAGES) { // each sends a signed-out visitor to the login page
            anonymous.open(stack.page(page)).await(By.id("username"));
            settle(anonymous);
            assertEquals(List.of(), browser.consoleErrors(), page + " signed out");
        }
        Tab alice = loggedIn(browser, "alice");
        for (String page : List.of("/chat.html", "/group.html", "/chat.html?peer=" + stack.uidOf("bob"))) {
            alice.open(stack.page(page)).awaitOnline();
            settle(alice);
            assertEquals(List.of(), browser.consoleErrors(), page);
        }
        for (String page : List.of("/product.html", "/product.html?id=1")) {
            alice.open(stack.page(page)).await(By.cssSelector("h1"));
            settle(alice);
            assertEquals(List.of(), browser.consoleErrors(), page);
        }
        alice.open(stack.page("/login.html")).until(d -> !d.getCurrentUrl().contains("/login.html")); // straight on
        settle(alice);
        assertEquals(List.of(), browser.consoleErrors(), "login.html signed in");
        Tab agent = loggedIn(browser, "agent1");
        agent.open(stack.page("/desk.html")).awaitOnline();
        settle(agent);
        assertEquals(List.of(), browser.consoleErrors(), "desk.html");
        Tab admin = loggedIn(browser, "admin");
        admin.open(stack.page("/admin.html")).await(By.cssSelector("#stats dt"));
        settle(admin);
        assertEquals(List.of(), browser.consoleErrors(), "admin.html");
    }

    /** The check above would see a real violation: an inline script injected into a page is blocked and recorded. */
    @Test
    void anInlineScriptIsBlockedAndReported(Chromium browser) {
        Tab tab = browser.newTab("probe").open(stack.page("/login.html"));
        tab.await(By.id("username"));
        tab.script("const s = document.createElement('script'); s.textContent = 'window.__inlineRan = true;';"
                + "document.head.append(s);"
                + "const d = document.createElement('div'); d.setAttribute('style', 'color: red');"
                + "document.body.append(d);");
        tab.until(d -> violations(tab).size() >= 2);
        assertNull(tab.script("return window.__inlineRan;"), "the inline script did not run");
        List<String> seen = violations(tab);
        assertTrue(seen.stream().anyMatch(v -> v.startsWith("script-src-elem blocked inline")), seen.toString());
        assertTrue(seen.stream().anyMatch(v -> v.startsWith("style-src-attr blocked inline")), seen.toString());
    }
}
