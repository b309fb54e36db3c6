package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.Retainable;
import org.junit.jupiter.api.Test;

/**
 * How the body is read before the handler runs. Jetty's request buffer is shared by the connection: a body
 * reader that keeps a network chunk after it has read it, or that still touches the request once the handler has
 * been given the body, races the handler (which may already have answered, and Jetty moved on to the next request
 * on the connection); under the fuzz test that released a request buffer twice and answered one connection's
 * requests on another.
 */
class BufferedBodyHandlerTest {

    @Test
    void eachNetworkChunkIsReleasedAsSoonAsItIsRead() {
        ScriptedSource source = new ScriptedSource();
        Counted first = source.add("{\"uid\":" + " ".repeat(1_000), false);
        List<Content.Chunk> later = new ArrayList<>();

        assertNull(BufferedBodyHandler.readBody(source, 64 * 1024, later::add), "the rest has not arrived");
        assertEquals(0, first.refs(), "the first chunk is no longer held while the rest is awaited");

        Counted second = source.add("1}", true);
        source.arrive();
        assertEquals(0, second.refs());
        assertEquals(1, later.size());
        assertTrue(later.get(0).isLast());
        assertEquals("{\"uid\":" + " ".repeat(1_000) + "1}",
                StandardCharsets.UTF_8.decode(later.get(0).getByteBuffer()).toString());
    }

    @Test
    void aBodyThatFailsIsHandedOverWithoutTouchingTheRequestAgain() {
        ScriptedSource source = new ScriptedSource();
        source.add("{\"ui", false);
        List<Content.Chunk> later = new ArrayList<>();
        assertNull(BufferedBodyHandler.readBody(source, 64 * 1024, chunk -> {
            later.add(chunk);
            source.handedOver = true;
        }));

        source.failTransiently(new TimeoutException("idle"));
        source.arrive();
        assertEquals(1, later.size());
        assertTrue(Content.Chunk.isFailure(later.get(0)) && later.get(0).isLast(), "the handler gets the failure");
        assertEquals(List.of(), source.touchedAfterHandOver, "the reader left the request alone after the hand-over");
    }

    @Test
    void aBodyThatArrivedWithItsHeadersIsReturnedAtOnce() {
        ScriptedSource source = new ScriptedSource();
        Counted only = source.add("{\"uid\":1}", true);
        Content.Chunk body = BufferedBodyHandler.readBody(source, 64 * 1024, chunk -> {
            throw new AssertionError("no later");
        });
        assertNotNull(body);
        assertEquals("{\"uid\":1}", StandardCharsets.UTF_8.decode(body.getByteBuffer()).toString());
        assertEquals(0, only.refs());
    }

    @Test
    void aBodyLargerThanTheLimitIsAFailure() {
        ScriptedSource source = new ScriptedSource();
        Counted big = source.add("x".repeat(2_000), false);
        Content.Chunk body = BufferedBodyHandler.readBody(source, 1_000, chunk -> {
            throw new AssertionError("no later");
        });
        assertNotNull(body);
        assertTrue(Content.Chunk.isFailure(body) && body.isLast());
        assertEquals(0, big.refs());
    }

    /** A network chunk's reference count, as Jetty's pooled request buffer keeps it. */
    private static final class Counted implements Retainable {
        private final AtomicInteger refs = new AtomicInteger(1);

        @Override
        public boolean canRetain() {
            return true;
        }

        @Override
        public void retain() {
            refs.incrementAndGet();
        }

        @Override
        public boolean release() {
            int left = refs.decrementAndGet();
            if (left < 0) {
                throw new IllegalStateException("released twice");
            }
            return left == 0;
        }

        int refs() {
            return refs.get();
        }
    }

    /** Chunks given out in order; null (and a demand) when none has arrived. */
    private static final class ScriptedSource implements Content.Source {
        private final Deque<Content.Chunk> arrived = new ArrayDeque<>();
        private final List<String> touchedAfterHandOver = new ArrayList<>();
        private Runnable demand;
        private boolean handedOver;

        Counted add(String text, boolean last) {
            Counted counted = new Counted();
            arrived.add(Content.Chunk.asChunk(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), last, counted));
            return counted;
        }

        void failTransiently(Throwable failure) {
            arrived.add(Content.Chunk.from(failure, false));
        }

        void arrive() {
            Runnable pending = demand;
            demand = null;
            assertNotNull(pending, "the reader demanded the rest");
            pending.run();
        }

        @Override
        public Content.Chunk read() {
            note("read");
            return arrived.poll();
        }

        @Override
        public void demand(Runnable demandCallback) {
            note("demand");
            demand = demandCallback;
        }

        @Override
        public void fail(Throwable failure) {
            note("fail " + failure);
        }

        private void note(String what) {
            if (handedOver) {
                touchedAfterHandOver.add(what);
            }
        }
    }
}
