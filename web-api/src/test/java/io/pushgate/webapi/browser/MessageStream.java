package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Texts from one user to another through POST /api/messages at a steady 100 a second (one every 10 ms, on up to
 * four connections at once, so a slow answer does not slow the stream), until a given count has been sent.
 */
final class MessageStream implements AutoCloseable {
    /** web-api settings that let one user send this fast. */
    static final Map<String, String> SETTINGS = Map.of("RATE_LIMIT_PER_SECOND", "1000", "RATE_LIMIT_BURST", "1000");

    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService senders = Executors.newFixedThreadPool(4);
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final CountDownLatch done;
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private MessageStream(ChatStack stack, String token, long toUid, int count) {
        done = new CountDownLatch(count);
        clock.scheduleAtFixedRate(() -> {
            int n = issued.getAndIncrement();
            if (n < count) {
                senders.execute(() -> send(stack, token, toUid, n));
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** Starts sending {@code count} texts from the bearer of {@code token} to {@code toUid}. */
    static MessageStream start(ChatStack stack, String token, long toUid, int count) {
        return new MessageStream(stack, token, toUid, count);
    }

    private void send(ChatStack stack, String token, long toUid, int n) {
        try {
            stack.sendText(token, toUid, "stream " + n);
        } catch (RuntimeException e) {
            failures.add(e.toString());
        } finally {
            answered.incrementAndGet();
            done.countDown();
        }
    }

    /** How many sends have been answered. */
    int answered() {
        return answered.get();
    }

    /** Waits until every send has been answered, and asserts that each was stored. */
    void awaitAnswered(Duration deadline) throws InterruptedException {
        assertTrue(done.await(deadline.toMillis(), TimeUnit.MILLISECONDS), answered() + " answered in " + deadline);
        assertEquals(List.of(), failures.stream().limit(5).toList(), "failed sends");
    }

    @Override
    public void close() {
        clock.shutdownNow();
        senders.shutdownNow();
    }
}
