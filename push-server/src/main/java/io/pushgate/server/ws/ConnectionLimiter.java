package io.pushgate.server.ws;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts open WebSocket connections against PUSH_MAX_CONNECTIONS (0 = unbounded), exactly, under races. */
final class ConnectionLimiter {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    ConnectionLimiter(int max) {
        this.max = max;
    }

    boolean tryAcquire() {
        while (!closed) {
            int current = open.get();
            if (max > 0 && current >= max) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Refuses every later connection (shutdown). */
    void close() {
        closed = true;
    }

    void release() {
        open.decrementAndGet();
    }
}
