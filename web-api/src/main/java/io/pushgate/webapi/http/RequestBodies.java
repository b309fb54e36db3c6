package io.pushgate.webapi.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads JSON request bodies into records; anything unreadable is a 400 with the contract's body.
 *
 * <p>Every string read must be valid Unicode: a lone surrogate, whether from a {@code \ud800} escape or from
 * bytes that are not UTF-8, is refused rather than stored changed. The rule lives in the mapper this class reads
 * with (a copy of the app's), so it covers every field of every body.
 */
public final class RequestBodies {
    private final ObjectMapper json;
    private final RequestWarnings warnings;

    public RequestBodies(JsonMapper json, RequestWarnings warnings) {
        this.warnings = warnings;
        this.json = json.rebuild()
                .addModule(new SimpleModule("valid-unicode").addDeserializer(String.class, new ValidUnicode()))
                .build();
    }

    /**
     * The body as {@code type}; 400 {@code bad_request} when it is missing, not JSON, of the wrong shape or ends
     * before its Content-Length, 408 {@code request_timeout} when it arrived too slowly (see {@link SlowClients}).
     */
    public <T> T read(Context ctx, Class<T> type) {
        byte[] body = bytes(ctx);
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

    /** The body's bytes; a failure to read them is the client's (cut off, or gone before the end). */
    private byte[] bytes(Context ctx) {
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) { // Javalin's own verdict, e.g. 413 over maxRequestSize
            throw e;
        } catch (Exception e) { // Javalin is Kotlin: the servlet's IOException comes through undeclared
            boolean slow = causes(e, TimeoutException.class);
            ApiException refused = slow
                    ? new ApiException(408, "request_timeout", "the request body arrived too slowly")
                    : ApiException.badRequest("the request body is incomplete");
            warnings.warn(refused.status() + " " + refused.code(),
                    ctx.method() + " " + ctx.path() + ": " + refused.getMessage() + " (" + e + ")");
            throw refused;
        }
    }

    private static boolean causes(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The content-type rule, run before every POST under /api that takes JSON or nothing: a request that has a
     * body or a Content-Type must say JSON ({@code application/json} with any parameters, or
     * {@code application/*+json}), else 415 {@code unsupported_media_type}. This also keeps out the forms and
     * {@code text/plain} posts another site can make a browser send without asking.
     */
    public static void requireJsonIfAny(Context ctx) {
        if (ctx.method() != HandlerType.POST) {
            return;
        }
        String type = ctx.header("Content-Type");
        boolean hasBody = ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
        if (type == null ? hasBody : !isJson(type)) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the body as JSON with Content-Type: application/json");
        }
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mime = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        return mime.equals("application/json") || mime.startsWith("application/") && mime.endsWith("+json");
    }

    /** Jackson's own string reading, refusing a string with a lone surrogate. */
    private static final class ValidUnicode extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String value = super.deserialize(p, ctxt);
            if (value != null && hasLoneSurrogate(value)) {
                return (String) ctxt.handleWeirdStringValue(String.class, value,
                        "not valid Unicode (a lone surrogate)");
            }
            return value;
        }

        private static boolean hasLoneSurrogate(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true;
                }
            }
            return false;
        }
    }
}
