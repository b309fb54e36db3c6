package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;

/**
 * pushgate.js's {@code PushChannel} running in a page of the site, recording every message id it shows: a user's
 * product page (which has no channel of its own) into which the test imports {@code /js/pushgate.js}, as every page
 * imports it.
 */
final class ChannelPage {
    /** Imports pushgate.js and starts a PushChannel that records the ids it shows and how often it came online. */
    private static final String START_CHANNEL = """
            const [after, options] = arguments, done = arguments[arguments.length - 1];
            import('/js/pushgate.js').then(({ PushChannel }) => {
              window.__shown = [];
              window.__online = 0;
              const channel = new PushChannel({ ...options, after });
              channel.addEventListener('message', (e) => window.__shown.push(Number(e.detail.id)));
              channel.addEventListener('status', (e) => { if (e.detail === 'online') window.__online++; });
              window.__channel = channel;
              channel.start();
              done(true);
            }, (e) => done(String(e)));
            """;

    private final Tab tab;

    private ChannelPage(Tab tab) {
        this.tab = tab;
    }

    /** Logs {@code username} in, starts a channel whose first sync is {@code after} and waits until it is online. */
    static ChannelPage open(Chromium browser, ChatStack stack, String username, long after) {
        return open(browser, stack, username, after, Map.of());
    }

    /** The same, with further PushChannel {@code options} (e.g. {@code pingMs}). */
    static ChannelPage open(Chromium browser, ChatStack stack, String username, long after,
                            Map<String, Object> options) {
        Tab tab = browser.newTab(username).login(stack.base(), username, "demo");
        tab.open(stack.page("/product.html"));
        Object started = ((JavascriptExecutor) tab.driver()).executeAsyncScript(START_CHANNEL, after, options);
        assertEquals(Boolean.TRUE, started, "the channel started");
        ChannelPage page = new ChannelPage(tab);
        tab.until(d -> Boolean.TRUE.equals(tab.script("return window.__channel.status === 'online';")));
        return page;
    }

    /** The channel's current client_id. */
    String clientId() {
        return (String) tab.script("return window.__channel.clientId;");
    }

    /** The id of the push-server node the channel is on (a client_id starts with it). */
    String node() {
        String clientId = clientId();
        return clientId.substring(0, clientId.indexOf('.'));
    }

    /** How many times the channel has come online (bound and caught up). */
    long onlineCount() {
        return ((Number) tab.script("return window.__online;")).longValue();
    }

    /** Every message id shown, in the order shown. */
    List<Long> shown() {
        @SuppressWarnings("unchecked")
        List<Object> ids = (List<Object>) tab.script("return window.__shown;");
        return ids.stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** What the page has shown once it shows every id of {@code expected}, or after {@link Tab#WAIT}. */
    List<Long> awaitShown(List<Long> expected) {
        try {
            tab.until(d -> new HashSet<>(shown()).containsAll(expected));
        } catch (TimeoutException e) {
            // what is missing is reported, with the numbers, by assertShownOnce
        }
        return shown();
    }

    /** Asserts that {@code shown} holds every id of {@code stored}, each once, and nothing else. */
    static void assertShownOnce(List<Long> stored, List<Long> shown) {
        Set<Long> missing = new TreeSet<>(stored);
        missing.removeAll(shown);
        assertEquals(Set.of(), missing, missing.size() + " of " + stored.size() + " stored messages never shown");
        Set<Long> once = new HashSet<>();
        assertEquals(List.of(), shown.stream().filter(id -> !once.add(id)).toList(), "shown more than once");
        assertEquals(new TreeSet<>(stored), new TreeSet<>(shown), "nothing else was shown");
    }
}
