package io.pushgate.client;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * One admin call, described once and run three ways: blocking ({@link PushClient}), queued
 * ({@link AsyncPushClient}) or as one operation of a batch ({@link PushBatch}).
 *
 * @param method the contract's method name, e.g. {@code send_to_uid}
 * @param args the body's fields, in snake_case; values are serialised by the client's ObjectMapper
 * @param decoder turns the result object into the Java result
 * @param retrySafe whether the call may be sent again, to another admin URL, after the first one may already have
 *                  received it (its attempt timed out or broke after the request went out). True for reads, which
 *                  change nothing, and for sends: a frame may then reach a page twice, and pages drop duplicates by
 *                  message id. False for calls that change the cluster's state (bind, unbind, groups, sessions,
 *                  close): a stalled node that wakes up applies the first copy late, after the retry and after
 *                  whatever the caller did next, and {@code close_client} sent twice answers "was not open".
 *                  Every call moves on when its request was never sent (the connection failed).
 */
record Operation<T>(String method, Map<String, Object> args, Function<JsonNode, T> decoder, boolean retrySafe) {

    /** The batch of these operations is safe to send again only if each of them is. */
    static boolean allRetrySafe(List<? extends Operation<?>> operations) {
        for (Operation<?> op : operations) {
            if (!op.retrySafe()) {
                return false;
            }
        }
        return true;
    }

    T decode(JsonNode result) {
        return decoder.apply(result);
    }

    /** Decodes this operation's entry of a batch's results: its result, or its error thrown as an exception. */
    T decodeBatchAnswer(JsonNode answer) {
        JsonNode error = answer.path("error");
        if (error.isObject()) {
            throw PushException.ofBatch(error.path("code").asString(), error.path("message").asString());
        }
        return decode(answer);
    }
}
