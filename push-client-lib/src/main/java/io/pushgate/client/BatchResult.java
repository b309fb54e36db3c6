package io.pushgate.client;

import tools.jackson.databind.JsonNode;

/**
 * The outcome of one operation of a {@link PushBatch}: filled when the batch has run, then either a value or the
 * operation's own error.
 *
 * @param <T> the operation's result type, as returned by its {@link PushClient} twin ({@code Void} for none)
 */
public final class BatchResult<T> {
    private final Operation<T> operation;
    private volatile boolean done;
    private volatile T value;
    private volatile PushException error;

    BatchResult(Operation<T> operation) {
        this.operation = operation;
    }

    /** The contract's method name of this operation, e.g. {@code send_to_uid}. */
    public String method() {
        return operation.method();
    }

    /** True once the batch has run. */
    public boolean isDone() {
        return done;
    }

    /** True if the batch has run and this operation succeeded. */
    public boolean isSuccess() {
        return done && error == null;
    }

    /**
     * This operation's result.
     *
     * @throws PushException this operation's error, e.g. {@link ClientNotFoundException}
     * @throws IllegalStateException if the batch has not run yet
     */
    public T get() {
        if (!done) {
            throw new IllegalStateException("the batch has not run yet");
        }
        if (error != null) {
            throw error;
        }
        return value;
    }

    /** This operation's error, or null if it succeeded or the batch has not run. */
    public PushException error() {
        return error;
    }

    void complete(JsonNode answer) {
        try {
            value = operation.decodeBatchAnswer(answer);
        } catch (PushException e) {
            error = e;
        }
        done = true;
    }

    @Override
    public String toString() {
        return operation.method() + (!done ? " (not run)" : error != null ? " failed: " + error.code() : " = " + value);
    }
}
