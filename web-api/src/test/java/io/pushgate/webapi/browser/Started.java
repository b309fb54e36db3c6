package io.pushgate.webapi.browser;

import java.util.ArrayDeque;
import java.util.Deque;

/** What a test started (servers, proxies, connections, threads), closed after it, the newest first. */
final class Started implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Remembers {@code resource} to close; returns it. */
    <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything added, the newest first, each even if one before failed (the first failure is thrown). */
    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
