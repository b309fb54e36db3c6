package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.PushServer;
import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.Poll;
import java.time.Duration;
import java.util.List;
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

    private final Started started = new Started();

    @BeforeEach
    void redis() {
        RedisTestSupport.assumeRedis();
    }

    @AfterEach
    void closeEverything() throws Exception {
        started.close();
    }

    @Test
    void aPageOnANodeThatShutsDownMovesToTheOtherNodeAndMissesNothing(Chromium browser) throws Exception {
        String prefix = RedisTestSupport.newPrefix();
        started.add(() -> RedisTestSupport.deleteKeys(prefix));
        ChatStack stack = started.add(ChatStack.start(List.of(
                        RedisTestSupport.clusterNode("n1", prefix), RedisTestSupport.clusterNode("n2", prefix)),
                nodes -> MessageStream.SETTINGS));
        ChatStack.Conversation chat = stack.aliceWritesToBob();
        // The page picks a node at random: that one is shut; the bystander is on the other.
        ChannelPage page = ChannelPage.open(browser, stack, "bob", chat.after());
        String doomed = page.node();
        PushServer survivor = stack.nodes().stream().filter(n -> !n.config().nodeId().equals(doomed)).findFirst()
                .orElseThrow();
        Bystander bystander = started.add(Bystander.bind(stack, survivor, "bob"));

        MessageStream stream = started.add(MessageStream.start(stack, chat.aliceToken(), chat.bob(), MESSAGES));
        Poll.until(Duration.ofSeconds(10), "150 messages sent", () -> stream.answered() >= 150);
        stack.nodes().stream().filter(n -> n.config().nodeId().equals(doomed)).forEach(PushServer::close);
        stream.awaitAnswered(Duration.ofSeconds(30));

        List<Long> stored = stack.messageIdsTo(chat.bob(), chat.after());
        assertEquals(MESSAGES, stored.size(), "every send was stored");
        ChannelPage.assertShownOnce(stored, page.awaitShown(stored));
        assertEquals(survivor.config().nodeId(), page.node(), "the page is on the node still up");
        assertEquals(new TreeSet<>(stored), bystander.awaitMessages(stored), "the connection on the other node");
    }
}
