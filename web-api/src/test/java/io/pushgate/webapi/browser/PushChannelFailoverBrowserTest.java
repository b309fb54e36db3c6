package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.PushServer;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.Poll;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pushgate.js's PushChannel in a real Chromium, on one of two push-server nodes on Redis (GET /api/config lists
 * both): the node it is on shuts down mid-stream, and the page moves to the other node and misses nothing, while a
 * connection on the other node is served throughout. Skipped, with the reason, without Redis.
 */
@ExtendWith(BrowserExtension.class)
class PushChannelFailoverBrowserTest {
    private static final int MESSAGES = 500;

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @BeforeEach
    void redis() {
        RedisTestSupport.assumeRedis();
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    @Test
    void aPageOnANodeThatShutsDownMovesToTheOtherNodeAndMissesNothing(Chromium browser) throws Exception {
        String prefix = RedisTestSupport.newPrefix();
        started.push(() -> RedisTestSupport.deleteKeys(prefix));
        ChatStack stack = ChatStack.start(secret -> List.of(
                        ServerConfig.forTesting(secret).withRedis(RedisTestSupport.URI, "n1", prefix, 1000),
                        ServerConfig.forTesting(secret).withRedis(RedisTestSupport.URI, "n2", prefix, 1000)),
                nodes -> Map.of("RATE_LIMIT_PER_SECOND", "1000", "RATE_LIMIT_BURST", "1000"));
        started.push(stack);
        long bob = stack.uidOf("bob");
        String alice = stack.login("alice");
        long after = stack.sendText(alice, bob, "before the page");
        // The page picks a node at random: that one is shut; the bystander is on the other.
        ChannelPage page = ChannelPage.open(browser, stack, "bob", after);
        String doomed = page.node();
        PushServer survivor = stack.nodes().stream().filter(n -> !n.config().nodeId().equals(doomed)).findFirst()
                .orElseThrow();
        Bystander bystander = Bystander.bind(stack, survivor, "bob");
        started.push(bystander);

        MessageStream stream = MessageStream.start(stack, alice, bob, MESSAGES);
        started.push(stream);
        Poll.until(Duration.ofSeconds(10), "150 messages sent", () -> stream.answered() >= 150);
        stack.nodes().stream().filter(n -> n.config().nodeId().equals(doomed)).forEach(PushServer::close);
        stream.awaitAnswered(Duration.ofSeconds(30));

        List<Long> stored = stack.messageIdsTo(bob, after);
        assertEquals(MESSAGES, stored.size(), "every send was stored");
        ChannelPage.assertShownOnce(stored, page.awaitShown(stored));
        assertEquals(survivor.config().nodeId(), page.node(), "the page is on the node still up");
        assertEquals(new TreeSet<>(stored), bystander.awaitMessages(stored), "the connection on the other node");
    }
}
