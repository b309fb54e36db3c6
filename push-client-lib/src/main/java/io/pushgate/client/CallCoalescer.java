package io.pushgate.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/**
 * Sends the async calls: at most {@code maxRequests} HTTP requests at once; calls made while that many are in
 * flight wait in a queue and leave together, up to {@value #MAX_BATCH} in one {@code POST /v1/batch} (and no more
 * than fit in the client's body cap).
 *
 * <p>So a lone call goes out at once, on its own, as it would without this class; under load, calls ride in
 * batches and the per-request cost (HTTP parsing, a round trip, a server worker hand-off) is paid once for many.
 * Each call still gets its own result or error: the server runs a batch's operations in order and answers one
 * result or error per operation. A call that waited past its timeout fails without being sent.
 */
final class CallCoalescer {
    static final int MAX_BATCH = 100;

    private final AdminTransport transport;
    private final int maxRequests;
    private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    /** One call waiting to be sent. */
    private record Pending<T>(PushCall<T> call, CompletableFuture<T> future, long deadline) {

        void complete(JsonNode answer, boolean inBatch) {
            try {
                future.complete(inBatch ? call.decodeBatchAnswer(answer) : call.decode(answer));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }

    CallCoalescer(AdminTransport transport, int maxRequests) {
        this.transport = transport;
        this.maxRequests = maxRequests;
    }

    <T> CompletableFuture<T> submit(PushCall<T> call) {
        Pending<T> pending = new Pending<>(call, new CompletableFuture<>(), transport.deadline());
        queue.add(pending);
        drain();
        return pending.future();
    }

    /**
     * Sends what is queued while a request slot is free. Called after every submit and after every request ends;
     * both add (to the queue, or a free slot) before they look at the other, so nothing queued is left behind.
     */
    private void drain() {
        while (!queue.isEmpty()) {
            int running = inFlight.get();
            if (running >= maxRequests) {
                return;
            }
            if (!inFlight.compareAndSet(running, running + 1)) {
                continue;
            }
            List<Pending<?>> group = take();
            if (group.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            send(group).whenComplete((ignored, failure) -> {
                inFlight.decrementAndGet();
                drain();
            });
        }
    }

    /** Up to {@link #MAX_BATCH} queued calls, failing those whose time ran out while they waited. */
    private List<Pending<?>> take() {
        List<Pending<?>> group = new ArrayList<>();
        long now = System.nanoTime();
        Pending<?> next;
        while (group.size() < MAX_BATCH && (next = queue.poll()) != null) {
            if (next.future().isDone()) {
                continue; // cancelled by the caller
            }
            if (now - next.deadline() >= 0) {
                next.future().completeExceptionally(AdminTransport.timedOut(
                        "the call waited its whole timeout for a free connection"));
                continue;
            }
            group.add(next);
        }
        return group;
    }

    /**
     * Sends a group as one request: a lone call as itself, several as a batch. A batch whose body would be over the
     * transport's cap is split in halves, sent one after the other (the pair counts as one request in flight, and
     * keeps the calls' order), so calls that fit alone never fail for having been coalesced.
     */
    private CompletableFuture<?> send(List<Pending<?>> group) {
        long deadline = group.get(0).deadline(); // the oldest call, so none outlives its timeout
        if (group.size() == 1) {
            Pending<?> only = group.get(0);
            PushCall<?> call = only.call();
            return transport.enqueue(call.method(), transport.body(call.args()), call.retrySafe(), deadline)
                    .whenComplete((answer, failure) -> {
                        if (failure != null) {
                            only.future().completeExceptionally(failure);
                        } else {
                            only.complete(answer, false);
                        }
                    });
        }
        List<PushCall<?>> calls = new ArrayList<>(group.size());
        group.forEach(p -> calls.add(p.call()));
        byte[] body = transport.batchBody(calls);
        if (!transport.fits(body)) {
            List<Pending<?>> rest = group.subList(group.size() / 2, group.size());
            return send(group.subList(0, group.size() / 2)).handle((ignored, failure) -> null)
                    .thenCompose(ignored -> send(rest));
        }
        return transport.enqueue("batch", body, PushCall.allRetrySafe(calls), deadline)
                .whenComplete((response, failure) -> {
                    JsonNode answers = null;
                    if (failure == null) {
                        try {
                            answers = AdminTransport.batchAnswers(response, group.size());
                        } catch (PushException e) {
                            failure = e;
                        }
                    }
                    for (int i = 0; i < group.size(); i++) {
                        if (failure != null) {
                            group.get(i).future().completeExceptionally(failure);
                        } else {
                            group.get(i).complete(answers.get(i), true);
                        }
                    }
                });
    }
}
