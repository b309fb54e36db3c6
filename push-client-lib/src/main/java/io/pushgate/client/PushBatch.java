package io.pushgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Calls gathered and sent to the push-server in one request ({@code POST /v1/batch}), which runs them in order.
 * Each {@link #add added} call returns a {@link BatchResult} that holds its own result or error once the batch has
 * run:
 *
 * <pre>{@code
 * PushCalls calls = push.calls();
 * PushBatch batch = push.batch();
 * batch.add(calls.bindUid(clientId, "42"));
 * batch.add(calls.joinGroup(clientId, "room-7"));
 * BatchResult<Integer> sent = batch.add(calls.sendToGroup("room-7", "{\"type\":\"joined\"}"));
 * batch.execute();
 * int delivered = sent.get();   // throws this call's PushException if it failed
 * }</pre>
 *
 * <p>A batch is sent again to another admin URL after a failed attempt (see {@link PushClient}'s "Several
 * push-servers") only if every call in it is safe to repeat: reads and sends.
 *
 * <p>Its body may not exceed {@link PushClient.Builder#maxBodyBytes maxBodyBytes} (the push-server's
 * {@code PUSH_ADMIN_MAX_BODY_BYTES}, 1 MiB by default): a larger batch is refused before it is sent, with
 * {@link BadRequestException} {@code payload_too_large}; split it.
 *
 * <p>One failing call does not stop the others; its error keeps the HTTP status the server gave it. A batch is run
 * once; it is not thread-safe (build it on one thread, then run it). {@link #execute()} throws only when the
 * request as a whole fails (unauthorized, unavailable, too large); the calls' own errors stay in their results.
 */
public final class PushBatch {
    private final AdminTransport transport;
    private final List<PushCall<?>> calls = new ArrayList<>();
    private final List<BatchResult<?>> results = new ArrayList<>();
    private boolean executed;

    PushBatch(AdminTransport transport) {
        this.transport = transport;
    }

    /**
     * Adds a call, to run after those added before it.
     *
     * @return its result, filled when the batch has run
     * @throws IllegalStateException if this batch was already run
     * @throws IllegalArgumentException if the call was made by another {@link PushClient}'s {@link PushCalls}
     */
    public <T> BatchResult<T> add(PushCall<T> call) {
        Objects.requireNonNull(call, "call == null");
        if (executed) {
            throw new IllegalStateException("this batch was already run");
        }
        if (!call.runsOn(transport)) {
            throw new IllegalArgumentException("the call " + call + " belongs to another PushClient");
        }
        BatchResult<T> result = new BatchResult<>(call);
        calls.add(call);
        results.add(result);
        return result;
    }

    /** The number of calls gathered so far. */
    public int size() {
        return calls.size();
    }

    /**
     * Sends every call in one request and fills their results; returns them in the order they were added.
     * An empty batch sends nothing.
     *
     * @throws IllegalStateException if this batch was already run
     * @throws PushException if the request as a whole failed; then no result is filled
     */
    public List<BatchResult<?>> execute() {
        byte[] body = start();
        if (body == null) {
            return List.of();
        }
        return complete(transport.execute("batch", body, PushCall.allRetrySafe(calls)));
    }

    /**
     * As {@link #execute()}, without waiting: the future completes with the results, or fails with the
     * request's {@link PushException}.
     *
     * @throws IllegalStateException if this batch was already run
     */
    public CompletableFuture<List<BatchResult<?>>> executeAsync() {
        byte[] body = start();
        if (body == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return transport.enqueue("batch", body, PushCall.allRetrySafe(calls)).thenApply(this::complete);
    }

    /** Marks the batch run and returns its body, or null when it is empty. */
    private byte[] start() {
        if (executed) {
            throw new IllegalStateException("this batch was already run");
        }
        executed = true;
        if (calls.isEmpty()) {
            return null;
        }
        return transport.batchBody(calls);
    }

    private List<BatchResult<?>> complete(JsonNode response) {
        JsonNode answers = AdminTransport.batchAnswers(response, results.size());
        for (int i = 0; i < results.size(); i++) {
            results.get(i).complete(answers.get(i));
        }
        return List.copyOf(results);
    }
}
