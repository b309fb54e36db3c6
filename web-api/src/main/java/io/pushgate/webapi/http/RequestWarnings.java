package io.pushgate.webapi.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WARN lines about malformed, truncated or too slow requests: one line, never a stack trace, and at most one per
 * kind every {@code period}; the next line of a kind says how many were left out meanwhile. A client that sends
 * garbage on purpose thus cannot fill the log.
 */
public final class RequestWarnings {
    private static final Logger log = LoggerFactory.getLogger(RequestWarnings.class);
    private static final int MAX_KINDS = 1_000;

    private final long periodNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RequestWarnings(Duration period, LongSupplier nanoTime) {
        this.periodNanos = period.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * Logs {@code detail} under {@code kind} (e.g. "400 bad_request") unless that kind was logged recently. The
     * detail may quote the request, so control characters are escaped and it is cut at 200 characters.
     */
    public void warn(String kind, String detail) {
        if (windows.size() > MAX_KINDS) {
            windows.clear(); // kinds are a handful of status codes; this only guards against a bug
        }
        long suppressed = windows.computeIfAbsent(kind, k -> new Window()).admit(nanoTime.getAsLong());
        if (suppressed < 0) {
            return;
        }
        if (suppressed == 0) {
            log.warn("{}: {}", kind, printable(detail));
        } else {
            log.warn("{}: {} ({} more like it not logged)", kind, printable(detail), suppressed);
        }
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 201));
        int i = 0;
        for (; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < text.length() ? out.append('…').toString() : out.toString();
    }

    private final class Window {
        private long lastLogged;
        private boolean logged;
        private long suppressed;

        /** The number of lines left out since the last one, or -1 when this one is left out too. */
        synchronized long admit(long now) {
            if (logged && now - lastLogged < periodNanos) {
                suppressed++;
                return -1;
            }
            long count = suppressed;
            logged = true;
            lastLogged = now;
            suppressed = 0;
            return count;
        }
    }
}
