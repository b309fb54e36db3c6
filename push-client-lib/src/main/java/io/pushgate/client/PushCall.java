package io.pushgate.client;

import java.time.DateTimeException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One admin call, described and ready to run: {@link #execute()} runs it on this thread, {@link #enqueue()} without
 * waiting, and {@link PushBatch#add} sends it with others in one request. Get one from {@link PushClient#calls()}:
 *
 * <pre>{@code
 * int delivered = push.calls().sendToUid("42", frame).execute();  // the same as push.sendToUid("42", frame)
 *
 * push.calls().sendToUid("42", frame).enqueue()
 *     .thenAccept(n -> log.debug("handed to {} connections", n))
 *     .exceptionally(e -> { log.warn("push failed", e); return null; });
 * }</pre>
 *
 * <p>A PushCall is immutable and may be run any number of times, each run a new request. Its arguments were
 * checked when it was made: a null one threw {@code NullPointerException("uid == null")} then.
 *
 * <h2>Async</h2>
 * {@link #enqueue()} queues the call on OkHttp's dispatcher, so no thread waits per call. At most
 * {@link PushClient.Builder#maxAsyncRequests maxAsyncRequests} HTTP requests are in flight at once; calls enqueued
 * while that many are out wait, then leave together, up to 100 in one {@code POST /v1/batch} (and within
 * {@link PushClient.Builder#maxBodyBytes maxBodyBytes}): a lone call goes out at once on its own, and under load the
 * per-request cost is shared by many calls. Every call still gets its own result or error, and none outlives the
 * client's timeout (a call that waited too long fails with {@link UnavailableException} {@code timeout} without
 * being sent). Calls of one request run in the order they were enqueued; calls in different requests may run in
 * any order. Bound what you have in flight: the queue is not. A request is sent again to another admin URL after a
 * failed attempt only if every call in it is safe to repeat (see {@link PushClient}'s "Several push-servers").
 *
 * <p>A future fails with the {@link PushException} {@link #execute()} would throw (wrapped in a
 * {@code CompletionException} by {@code join()}). Futures complete on OkHttp's dispatcher threads: chain quick work
 * there, and move blocking work elsewhere with the {@code ...Async} variants of {@code CompletableFuture}.
 *
 * @param <T> the call's result ({@code Void} for none)
 */
public final class PushCall<T> {
    private final AdminTransport transport;
    private final CallCoalescer sender;
    private final String method;
    private final Map<String, Object> args;
    private final Function<JsonNode, T> decoder;
    private final boolean retrySafe;

    /**
     * @param method the contract's method name, e.g. {@code send_to_uid}
     * @param args the body's fields, in snake_case; values are serialised by the client's ObjectMapper
     * @param decoder turns the result object into the Java result
     * @param retrySafe whether the call may be sent again, to another admin URL, after the first one may already
     *                  have received it (its attempt timed out or broke after the request went out). True for reads,
     *                  which change nothing, and for sends: a frame may then reach a page twice, and pages drop
     *                  duplicates by message id. False for calls that change the cluster's state (bind, unbind,
     *                  groups, sessions, close): a stalled node that wakes up applies the first copy late, after the
     *                  retry and after whatever the caller did next, and {@code close_client} sent twice answers "was
     *                  not open". Every call moves on when its request was never sent (the connection failed).
     */
    PushCall(AdminTransport transport, CallCoalescer sender, String method, Map<String, Object> args,
             Function<JsonNode, T> decoder, boolean retrySafe) {
        this.transport = transport;
        this.sender = sender;
        this.method = method;
        this.args = Collections.unmodifiableMap(args);
        this.decoder = decoder;
        this.retrySafe = retrySafe;
    }

    /** The contract's method name, e.g. {@code send_to_uid}. */
    public String method() {
        return method;
    }

    /**
     * Runs the call on this thread and returns its result.
     *
     * @throws PushException if it failed, e.g. {@link ClientNotFoundException}
     */
    public T execute() {
        return decode(transport.execute(method, transport.body(args), retrySafe));
    }

    /** Queues the call and returns at once; the future completes with its result or fails with its error. */
    public CompletableFuture<T> enqueue() {
        return sender.submit(this);
    }

    @Override
    public String toString() {
        return method + args.keySet();
    }

    Map<String, Object> args() {
        return args;
    }

    boolean retrySafe() {
        return retrySafe;
    }

    /** True if this call belongs to the client that {@code transport} serves. */
    boolean runsOn(AdminTransport transport) {
        return this.transport == transport;
    }

    /** The batch of these calls is safe to send again only if each of them is. */
    static boolean allRetrySafe(List<? extends PushCall<?>> calls) {
        for (PushCall<?> call : calls) {
            if (!call.retrySafe()) {
                return false;
            }
        }
        return true;
    }

    /** The Java result of an answer, or {@code bad_response} when the answer has another shape than the contract's. */
    T decode(JsonNode result) {
        try {
            return decoder.apply(result);
        } catch (JacksonException | DateTimeException e) {
            throw new PushException(200, "bad_response", "the answer to " + method + " is not what the contract says: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Decodes this call's entry of a batch's results: its result, or its error thrown as an exception with the
     * status the server gave it (older servers give none: then the status it would have had alone).
     */
    T decodeBatchAnswer(JsonNode answer) {
        JsonNode error = answer.path("error");
        if (error.isObject()) {
            throw PushException.ofBatch(error.path("status").asInt(0), error.path("code").asString(),
                    error.path("message").asString());
        }
        return decode(answer);
    }
}
