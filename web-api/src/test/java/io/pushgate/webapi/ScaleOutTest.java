package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.redis.RedisTestSupport;
import io.pushgate.server.testing.Poll;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scale-out guarantees end to end, on {@link ScaleOutStack} (two push-server nodes on Redis, two web-api
 * instances on one database): senders on both instances and pages on both nodes, a page's cursor taken only from
 * sync answers. Skipped, with the reason, without Redis. The components each have tests of their own
 * (MultiWriterSyncTest, TwoInstancesTest, SharedRateLimitTest, StalledNodeFailoverTest, ClusterTest, the
 * PushChannel browser tests); this suite shows them holding together.
 */
class ScaleOutTest {
    static ScaleOutStack stack;
    static final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        RedisTestSupport.assumeRedis();
        stack = new ScaleOutStack();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * Sends {@code count} texts from each sender at once to random recipients, alternating instances; returns the
     * ids. Fails if they are not all answered within {@code forAtMost}.
     */
    private static List<Long> stream(List<String> senders, List<Long> recipients, Duration forAtMost, int count)
            throws Exception {
        List<Future<List<Long>>> sent = new ArrayList<>();
        long deadline = System.nanoTime() + forAtMost.toNanos();
        for (int s = 0; s < senders.size(); s++) {
            String token = senders.get(s);
            int first = s % 2;
            sent.add(pool.submit(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    assertTrue(System.nanoTime() < deadline, "not all sent within " + forAtMost);
                    long to = recipients.get(ThreadLocalRandom.current().nextInt(recipients.size()));
                    ids.add(stack.post((first + i) % 2, "/api/messages", token,
                            Map.of("to_uid", to, "type", "text", "content", "m" + i)).get("message").get("id").asLong());
                }
                return ids;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : sent) {
            all.addAll(f.get(forAtMost.toSeconds() + 10, TimeUnit.SECONDS));
        }
        return all;
    }

    @Test
    void everyMessageSentOnEitherInstanceReachesPagesOnEitherNodeAndSyncSkipsNone() throws Exception {
        List<String> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(stack.newUser());
        }
        List<ScaleOutStack.Page> pages = new ArrayList<>();
        List<Long> recipients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ScaleOutStack.Page page = stack.new Page(stack.newUser(), i % 2, (i / 2) % 2); // every node x instance
            pages.add(page);
            recipients.add(page.uid);
        }
        // each page syncs through alternating instances while the stream runs, back to back: the more syncs land
        // between two commits, the likelier one would pass an id still in flight
        AtomicLong syncs = new AtomicLong();
        Future<?> poller = pool.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (ScaleOutStack.Page page : pages) {
                    page.sync((int) (syncs.incrementAndGet() % 2));
                }
            }
            return null;
        });
        List<Long> sent = stream(senders, recipients, Duration.ofSeconds(60), 250);
        poller.cancel(true);

        assertEquals(8 * 250, sent.size());
        for (int i = 0; i < pages.size(); i++) {
            ScaleOutStack.Page page = pages.get(i);
            List<Long> stored = stack.storedTo(recipients.get(i));
            Poll.until(Duration.ofSeconds(10), "page " + i + " pushed every message",
                    () -> page.pushed.containsAll(stored));
            page.sync(i % 2);
            // sync alone, its cursor moved only by next_after while both instances wrote, returned every message
            assertEquals(List.of(), missing(stored, page.synced), "page " + i + ": stored but never synced");
            assertEquals(List.of(), missing(stored, page.shown), "page " + i + ": stored but never shown");
            assertEquals(stored.size(), page.shown.size(), "page " + i + " showed messages never stored");
            assertEquals(0, page.closed.get(), "page " + i + "'s socket closed");
            page.close();
        }
        assertTrue(syncs.get() > pages.size(), "the pages synced only " + syncs.get() + " times meanwhile");
    }

    private static List<Long> missing(List<Long> stored, Set<Long> seen) {
        return stored.stream().filter(id -> !seen.contains(id)).toList();
    }

    /**
     * Node 1's admin port stops answering (TCP still accepts, as with SIGSTOP): every send through either instance
     * is still answered within a second, and pushed to pages on both nodes through node 2.
     */
    @Test
    void aStalledNodeIsFailedOverWithinASecondAndPagesOnBothNodesAreServed() throws Exception {
        String sender = stack.newUser();
        List<ScaleOutStack.Page> pages = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            pages.add(stack.new Page(stack.newUser(), node, node));
        }
        stack.adminProxies.get(0).pause();
        try {
            List<Long> ids = new ArrayList<>();
            long slowest = 0;
            for (int i = 0; i < 40; i++) {
                ScaleOutStack.Page to = pages.get(i % 2);
                long started = System.nanoTime();
                ScaleOutStack.Reply reply = stack.call(i % 2 == 0 ? 0 : 1, "/api/messages", sender,
                        Map.of("to_uid", to.uid, "type", "text", "content", "during the stall " + i));
                slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                assertEquals(201, reply.status(), reply.toString());
                ids.add(reply.body().get("message").get("id").asLong());
            }
            assertTrue(slowest < 1000, "a send took " + slowest + " ms while a node stalled");
            for (ScaleOutStack.Page page : pages) {
                List<Long> mine = stack.storedTo(page.uid);
                Poll.until(Duration.ofSeconds(5), "pushed during the stall", () -> page.pushed.containsAll(mine));
                assertEquals(20, mine.size());
            }
        } finally {
            stack.adminProxies.get(0).resume();
        }
        pages.forEach(ScaleOutStack.Page::close);
    }

    /** Redis stalls for four heartbeats with its data intact: no page loses its socket, and pushes resume. */
    @Test
    void aRedisPauseOfFourHeartbeatsClosesNoConnection() throws Exception {
        String sender = stack.newUser();
        List<ScaleOutStack.Page> pages = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            pages.add(stack.new Page(stack.newUser(), node, node));
        }
        stack.redis.pause();
        long pausedAt = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "four heartbeats",
                () -> System.nanoTime() - pausedAt > TimeUnit.MILLISECONDS.toNanos(4L * ScaleOutStack.HEARTBEAT_MS));
        stack.redis.resume();
        for (ScaleOutStack.Page page : pages) {
            long id = stack.post(0, "/api/messages", sender, Map.of("to_uid", page.uid,
                    "type", "text", "content", "after the pause")).get("message").get("id").asLong();
            Poll.until(Duration.ofSeconds(5), "pushed after the pause", () -> page.pushed.contains(id));
        }
        // past the sweeps that a pause used to trigger: three more heartbeats
        long resumedAt = System.nanoTime();
        Poll.until(Duration.ofSeconds(10), "three heartbeats after the pause",
                () -> System.nanoTime() - resumedAt > TimeUnit.MILLISECONDS.toNanos(3L * ScaleOutStack.HEARTBEAT_MS));
        for (ScaleOutStack.Page page : pages) {
            assertEquals(0, page.closed.get(), "a socket closed after a Redis pause");
            page.close();
        }
    }
}
