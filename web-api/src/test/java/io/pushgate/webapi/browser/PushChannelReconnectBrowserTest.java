package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.TcpProxy;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pushgate.js's PushChannel in a real Chromium whose socket to the push-server is cut every 1-4 s (through a TCP
 * proxy, as a flaky network would) while a sender streams 100 messages a second: the cursor comes from sync answers
 * only, so pushes that arrive out of id order, or while the page binds again, make it skip nothing.
 */
@ExtendWith(BrowserExtension.class)
class PushChannelReconnectBrowserTest {
    private static final int MESSAGES = 1000; // 10 s at 100 a second

    private final Started started = new Started();

    @AfterEach
    void closeEverything() throws Exception {
        started.close();
    }

    @Test
    void everyMessageIsShownOnceWhileTheSocketIsCutEveryFewSeconds(Chromium browser) throws Exception {
        ChatStack stack = started.add(ChatStack.behindProxies(1, MessageStream.SETTINGS));
        ChatStack.Conversation chat = stack.aliceWritesToBob();
        ChannelPage page = ChannelPage.open(browser, stack, "bob", chat.after());
        Bystander bystander = started.add(Bystander.bind(stack, stack.nodes().get(0), "bob"));

        MessageStream stream = started.add(MessageStream.start(stack, chat.aliceToken(), chat.bob(), MESSAGES));
        Cuts cuts = started.add(new Cuts(stack.proxies().get(0)));
        stream.awaitAnswered(Duration.ofSeconds(30));
        int cut = cuts.stop();

        List<Long> stored = stack.messageIdsTo(chat.bob(), chat.after());
        assertEquals(MESSAGES, stored.size(), "every send was stored");
        List<Long> shown = page.awaitShown(stored);
        System.out.printf("socket cut %d times, page online %d times, %d of %d stored messages shown%n", cut,
                page.onlineCount(), new HashSet<>(shown).size(), stored.size());
        assertTrue(cut >= 2, "the socket was cut only " + cut + " times");
        ChannelPage.assertShownOnce(stored, shown);
        assertEquals(new TreeSet<>(stored), bystander.awaitMessages(stored), "the connection nothing disturbed");
    }

    /** Cuts every connection through a proxy at random intervals of 1-4 s, until stopped. */
    private static final class Cuts implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger count = new AtomicInteger();
        private final TcpProxy proxy;

        Cuts(TcpProxy proxy) {
            this.proxy = proxy;
            next();
        }

        private void next() {
            timer.schedule(() -> {
                proxy.dropConnections();
                count.incrementAndGet();
                next();
            }, ThreadLocalRandom.current().nextLong(1000, 4001), TimeUnit.MILLISECONDS);
        }

        /** Stops cutting; returns how many times it cut. */
        int stop() {
            timer.shutdownNow();
            return count.get();
        }

        @Override
        public void close() {
            stop();
        }
    }
}
