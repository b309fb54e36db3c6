package io.pushgate.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a benchmark must undo however it ends: child processes to stop, a database to drop. Actions run once, last
 * added first, on {@link #close()} or, if the JVM is stopped first (Ctrl-C, SIGTERM), from a shutdown hook, so no
 * server is left running behind an interrupted benchmark.
 */
final class Teardown implements AutoCloseable {
    private final Deque<AutoCloseable> actions = new ArrayDeque<>();
    private final Thread hook = new Thread(this::runAll, "bench-teardown");

    Teardown() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Adds {@code action} and returns it. */
    synchronized <T extends AutoCloseable> T add(T action) {
        actions.push(action);
        return action;
    }

    @Override
    public void close() {
        runAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
    }

    private synchronized void runAll() {
        while (!actions.isEmpty()) {
            try {
                actions.pop().close();
            } catch (Exception e) {
                System.err.println("teardown: " + e);
            }
        }
    }
}
