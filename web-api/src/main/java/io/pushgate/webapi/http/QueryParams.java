package io.pushgate.webapi.http;

import io.javalin.http.Context;

/** Parses ids and limits from paths and query strings; anything malformed is a 400 naming the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    /** A positive id from the path. */
    public static long pathId(Context ctx, String name) {
        return parseId(name, ctx.pathParam(name));
    }

    /** A positive id from the query string, or {@code fallback} when absent. */
    public static long id(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        return value == null || value.isEmpty() ? fallback : parseId(name, value);
    }

    /** A required positive id from the query string. */
    public static long requiredId(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(name + " is required");
        }
        return parseId(name, value);
    }

    /** A non-negative id from the query string ({@code after=0} means from the start), default 0. */
    public static long cursor(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        long parsed = parseLong(name, value);
        if (parsed < 0) {
            throw ApiException.badRequest(name + " must not be negative");
        }
        return parsed;
    }

    /** A page size between 1 and {@code max}, {@code fallback} when absent. */
    public static int limit(Context ctx, int fallback, int max) {
        String value = ctx.queryParam("limit");
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        long parsed = parseLong("limit", value);
        if (parsed < 1 || parsed > max) {
            throw ApiException.badRequest("limit must be between 1 and " + max);
        }
        return (int) parsed;
    }

    /** True when the query parameter is {@code true}. */
    public static boolean flag(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty() || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw ApiException.badRequest(name + " must be true or false");
    }

    public static long parseId(String name, String value) {
        long parsed = parseLong(name, value);
        if (parsed < 1) {
            throw ApiException.badRequest(name + " must be a positive id");
        }
        return parsed;
    }

    private static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '" + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
