package io.pushgate.server.admin;

import io.pushgate.server.presence.Presence;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Typed access to an admin call's JSON body. Every accessor fails with 400 {@code bad_request} naming the field
 * when it is missing or of the wrong type. uids, groups and client_ids are strings of 1 to
 * {@value #MAX_ID_LENGTH} characters; a JSON number is accepted as its decimal string, refused (without being
 * expanded) when that string would be longer.
 */
final class RequestBody {
    static final int MAX_ID_LENGTH = Presence.MAX_ID_LENGTH;

    private final ObjectNode node;
    private final JsonMapper json;

    RequestBody(ObjectNode node, JsonMapper json) {
        this.node = node;
        this.json = json;
    }

    String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw AdminException.badRequest("missing field '" + field + "'");
        }
        return id(field, value);
    }

    String optionalString(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : id(field, value);
    }

    /** The value of {@code single} or the list in {@code many}; exactly one of them must be given. */
    List<String> oneOrMany(String single, String many) {
        JsonNode one = node.get(single);
        JsonNode list = node.get(many);
        boolean hasOne = one != null && !one.isNull();
        boolean hasList = list != null && !list.isNull();
        if (hasOne == hasList) {
            throw AdminException.badRequest("give exactly one of '" + single + "' or '" + many + "'");
        }
        return hasOne ? List.of(id(single, one)) : strings(many, list);
    }

    /** An optional list of ids; empty when absent. */
    Set<String> optionalSet(String field) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return Set.of();
        }
        return new LinkedHashSet<>(strings(field, list));
    }

    JsonNode required(String field) {
        JsonNode value = node.get(field);
        if (value == null) {
            throw AdminException.badRequest("missing field '" + field + "'");
        }
        return value;
    }

    JsonNode optional(String field) {
        return node.get(field);
    }

    Map<String, Object> object(String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isObject()) {
            throw AdminException.badRequest("field '" + field + "' must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = json.treeToValue(value, Map.class);
        return map;
    }

    /** The frame text for {@code data}: a JSON string as it is, anything else as compact JSON. */
    String data(String field) {
        JsonNode value = required(field);
        return value.isString() ? value.stringValue() : json.writeValueAsString(value);
    }

    private List<String> strings(String field, JsonNode list) {
        if (!list.isArray()) {
            throw AdminException.badRequest("field '" + field + "' must be an array of strings");
        }
        List<String> result = new ArrayList<>(list.size());
        for (JsonNode item : list) {
            result.add(id(field, item));
        }
        return result;
    }

    private static String id(String field, JsonNode value) {
        String text;
        if (value.isString()) {
            text = value.stringValue();
        } else if (value.isIntegralNumber()) {
            text = value.bigIntegerValue().toString();
        } else if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue().stripTrailingZeros();
            if (plainLength(decimal) > MAX_ID_LENGTH) { // 1e999999999 would be a billion digits: never write it out
                throw idLength(field);
            }
            text = decimal.toPlainString();
        } else {
            throw AdminException.badRequest("field '" + field + "' must be a string or a number");
        }
        if (text.isEmpty() || text.length() > MAX_ID_LENGTH) {
            throw idLength(field);
        }
        return text;
    }

    private static AdminException idLength(String field) {
        return AdminException.badRequest("field '" + field + "' must be 1 to " + MAX_ID_LENGTH + " characters");
    }

    /** The length of {@code decimal.toPlainString()}, computed from its precision and scale without building it. */
    static long plainLength(BigDecimal decimal) {
        long precision = decimal.precision();
        long scale = decimal.scale();
        long digits;
        if (scale <= 0) {
            digits = precision - scale; // the digits, then -scale zeros
        } else if (scale >= precision) {
            digits = 2 + scale; // "0." then scale digits
        } else {
            digits = precision + 1; // a point among the digits
        }
        return digits + (decimal.signum() < 0 ? 1 : 0);
    }
}
