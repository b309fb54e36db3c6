package io.pushgate.client;

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
 */
record Operation<T>(String method, Map<String, Object> args, Function<JsonNode, T> decoder) {

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
