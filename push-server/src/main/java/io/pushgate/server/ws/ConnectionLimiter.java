package io.pushgate.server.ws;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open WebSocket connections against PUSH_MAX_CONNECTIONS (0 = unbounded), exactly, under races. */
final class ConnectionLimiter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    ConnectionLimiter(int max) {
        this.max = max;
    }

    /** One connection's place under the limit. */
    final class Slot {
        private final AtomicBoolean released = new AtomicBoolean();

        /** Frees the place; only the first call counts, so every path that ends a connection may call it. */
        void release() {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }

    /** A place under the limit, or null when the limit is reached or the limiter closed. */
    Slot tryAcquire() {
        while (!closed) {
            int current = open.get();
            if (max > 0 && current >= max) {
                return null;
            }
            if (open.compareAndSet(current, current + 1)) {
                return new Slot();
            }
        }
        return null;
    }

    /** Refuses every later connection (shutdown). */
    void close() {
        closed = true;
    }
}
