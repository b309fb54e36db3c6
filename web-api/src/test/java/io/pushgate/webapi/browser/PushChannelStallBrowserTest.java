package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.ServerConfig;
import io.pushgate.server.testing.Poll;
import io.pushgate.server.testing.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
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

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    @Test
    void aPageOnAStalledNodeNoticesByItsPingMovesOnAndMissesNothing(Chromium browser) throws Exception {
        List<TcpProxy> proxies = new CopyOnWriteArrayList<>();
        ChatStack stack = ChatStack.start(secret -> List.of(ServerConfig.forTesting(secret)), nodes -> {
            int port = nodes.get(0).wsUri().getPort();
            proxies.add(startProxy(port));
            proxies.add(startProxy(port));
            return Map.of("PUSH_PUBLIC_WS_URL", proxies.stream().map(p -> "ws://127.0.0.1:" + p.port() + "/")
                            .collect(Collectors.joining(",")),
                    "RATE_LIMIT_PER_SECOND", "1000", "RATE_LIMIT_BURST", "1000");
        });
        started.push(stack);
        proxies.forEach(started::push);
        long bob = stack.uidOf("bob");
        String alice = stack.login("alice");
        long after = stack.sendText(alice, bob, "before the page");
        ChannelPage page = ChannelPage.open(browser, stack, "bob", after,
                Map.of("pingMs", PING_MS, "pongTimeoutMs", PONG_TIMEOUT_MS));
        Bystander bystander = Bystander.bind(stack, stack.nodes().get(0), "bob"); // straight to the node
        started.push(bystander);
        TcpProxy pageProxy = proxies.stream().filter(p -> p.connections() > 0).findFirst().orElseThrow();

        MessageStream stream = MessageStream.start(stack, alice, bob, MESSAGES);
        started.push(stream);
        Poll.until(Duration.ofSeconds(10), "150 messages sent", () -> stream.answered() >= 150);
        long onlineBefore = page.onlineCount();
        pageProxy.stall();
        long stalledAt = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "the page online again", () -> page.onlineCount() > onlineBefore);
        long movedMs = (System.nanoTime() - stalledAt) / 1_000_000;
        stream.awaitAnswered(Duration.ofSeconds(30));

        List<Long> stored = stack.messageIdsTo(bob, after);
        assertEquals(MESSAGES, stored.size(), "every send was stored");
        ChannelPage.assertShownOnce(stored, page.awaitShown(stored));
        System.out.printf("the page was online on the other URL %d ms after its node stalled%n", movedMs);
        // Silence for up to a ping period and a tick, then the pong deadline, a reconnect delay, bind and sync.
        assertTrue(movedMs < 2 * PING_MS + PONG_TIMEOUT_MS + 3000, movedMs + " ms");
        assertEquals(new TreeSet<>(stored), bystander.awaitMessages(stored), "the connection nothing disturbed");
    }

    private static TcpProxy startProxy(int port) {
        TcpProxy proxy = new TcpProxy("127.0.0.1", port);
        try {
            proxy.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proxy;
    }
}
