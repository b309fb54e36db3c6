package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pushgate.js's PushChannel in a real Chromium when the node it is on stalls: the connection stays open but nothing
 * flows (a TCP proxy that holds every byte, as a SIGSTOPped process would). GET /api/config lists two URLs (two
 * proxies in front of one push-server); the page must notice by its text ping going unanswered, move to the other
 * URL and miss nothing, while a connection that nothing disturbs is served throughout.
 */
@ExtendWith(BrowserExtension.class)
class PushChannelStallBrowserTest {
    private static final int MESSAGES = 500;
    private static final int PING_MS = 1000;
    private static final int PONG_TIMEOUT_MS = 1000;

    private final Started started = new Started();

    @AfterEach
    void closeEverything() throws Exception {
        started.close();
    }

    @Test
    void aPageOnAStalledNodeNoticesByItsPingMovesOnAndMissesNothing(Chromium browser) throws Exception {
        ChatStack stack = started.add(ChatStack.behindProxies(2, MessageStream.SETTINGS));
        List<TcpProxy> proxies = stack.proxies();
        ChatStack.Conversation chat = stack.aliceWritesToBob();
        ChannelPage page = ChannelPage.open(browser, stack, "bob", chat.after(),
                Map.of("pingMs", PING_MS, "pongTimeoutMs", PONG_TIMEOUT_MS));
        Bystander bystander = started.add(Bystander.bind(stack, stack.nodes().get(0), "bob")); // straight to the node
        // The chat page the login went through had a channel of its own: wait until its connection is gone.
        Poll.until(Duration.ofSeconds(5), "only the page's connection through the proxies",
                () -> proxies.stream().mapToInt(TcpProxy::connections).sum() == 1);
        TcpProxy pageProxy = proxies.stream().filter(p -> p.connections() > 0).findFirst().orElseThrow();

        MessageStream stream = started.add(MessageStream.start(stack, chat.aliceToken(), chat.bob(), MESSAGES));
        Poll.until(Duration.ofSeconds(10), "150 messages sent", () -> stream.answered() >= 150);
        long onlineBefore = page.onlineCount();
        pageProxy.pause();
        long stalledAt = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the page online again", () -> page.onlineCount() > onlineBefore);
        long movedMs = (System.nanoTime() - stalledAt) / 1_000_000;
        stream.awaitAnswered(Duration.ofSeconds(30));

        List<Long> stored = stack.messageIdsTo(chat.bob(), chat.after());
        assertEquals(MESSAGES, stored.size(), "every send was stored");
        ChannelPage.assertShownOnce(stored, page.awaitShown(stored));
        System.out.printf("the page was online on the other URL %d ms after its node stalled%n", movedMs);
        // Silence for up to a ping period and a tick, then the pong deadline, a reconnect delay, bind and sync.
        assertTrue(movedMs < 2 * PING_MS + PONG_TIMEOUT_MS + 3000, movedMs + " ms");
        TcpProxy other = proxies.stream().filter(p -> p != pageProxy).findFirst().orElseThrow();
        assertTrue(other.connections() > 0, "the page is on the other URL");
        assertEquals(new TreeSet<>(stored), bystander.awaitMessages(stored), "the connection nothing disturbed");
    }
}
