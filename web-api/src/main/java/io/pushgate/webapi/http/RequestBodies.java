package io.pushgate.webapi.http;

import io.javalin.http.Context;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/** Reads JSON request bodies into records; anything unreadable is a 400 with the contract's body. */
public final class RequestBodies {
    private final ObjectMapper json;

    public RequestBodies(ObjectMapper json) {
        this.json = json;
    }

    /** The body as {@code type}; 400 {@code bad_request} when it is missing, not JSON or of the wrong shape. */
    public <T> T read(Context ctx, Class<T> type) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0) {
            throw ApiException.badRequest("a JSON object body is required");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("a JSON object body is required");
            }
            return value;
        } catch (JacksonException e) {
            throw ApiException.badRequest("malformed JSON body: " + e.getOriginalMessage());
        }
    }
}
