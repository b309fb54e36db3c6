package io.pushgate.client;

import tools.jackson.databind.JsonNode;

/**
 * The outcome of one call {@link PushBatch#add added} to a {@link PushBatch}: filled when the batch has run, then
 * either a value or the call's own error.
 *
 * @param <T> the call's result type, as {@link PushCall#execute()} returns it ({@code Void} for none)
 */
public final class BatchResult<T> {
    private final PushCall<T> call;
    private volatile boolean done;
    private volatile T value;
    private volatile PushException error;

    BatchResult(PushCall<T> call) {
        this.call = call;
    }

    /** The contract's method name of this call, e.g. {@code send_to_uid}. */
    public String method() {
        return call.method();
    }

    /** True once the batch has run. */
    public boolean isDone() {
        return done;
    }

    /** True if the batch has run and this call succeeded. */
    public boolean isSuccess() {
        return done && error == null;
    }

    /**
     * This call's result.
     *
     * @throws PushException this call's error, e.g. {@link ClientNotFoundException}, with the status the server gave it
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

    /** This call's error, or null if it succeeded or the batch has not run. */
    public PushException error() {
        return error;
    }

    void complete(JsonNode answer) {
        try {
            value = call.decodeBatchAnswer(answer);
        } catch (PushException e) {
            error = e;
        }
        done = true;
    }

    @Override
    public String toString() {
        return call.method() + (!done ? " (not run)" : error != null ? " failed: " + error.code() : " = " + value);
    }
}
