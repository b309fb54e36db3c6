package io.pushgate.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Builds the {@link Operation} of every admin method of the contract: argument checks, the body's field names and
 * the decoding of its result live here, once, for the blocking, async and batch surfaces.
 */
final class Operations {
    private final ObjectMapper mapper;

    Operations(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    Operation<Void> bindUid(String clientId, String uid) {
        return none("bind_uid", args("client_id", clientId, "uid", uid));
    }

    Operation<Void> unbindUid(String clientId, String uid) {
        return none("unbind_uid", args("client_id", clientId, "uid", uid));
    }

    Operation<Void> joinGroup(String clientId, String group) {
        return none("join_group", args("client_id", clientId, "group", group));
    }

    Operation<Void> leaveGroup(String clientId, String group) {
        return none("leave_group", args("client_id", clientId, "group", group));
    }

    Operation<Void> ungroup(String group) {
        return none("ungroup", args("group", group));
    }

    Operation<Integer> sendToClients(Collection<String> clientIds, Object data) {
        return delivered("send_to_client", args("client_ids", ids("clientIds", clientIds), "data", data(data)));
    }

    Operation<Integer> sendToClient(String clientId, Object data) {
        return delivered("send_to_client", args("client_id", clientId, "data", data(data)));
    }

    Operation<Integer> sendToUid(String uid, Object data, Collection<String> exclude) {
        return excluding(delivered("send_to_uid", args("uid", uid, "data", data(data))), exclude);
    }

    Operation<Integer> sendToUids(Collection<String> uids, Object data, Collection<String> exclude) {
        return excluding(delivered("send_to_uid", args("uids", ids("uids", uids), "data", data(data))), exclude);
    }

    Operation<Integer> sendToGroup(String group, Object data, Collection<String> exclude) {
        return excluding(delivered("send_to_group", args("group", group, "data", data(data))), exclude);
    }

    Operation<Integer> sendToGroups(Collection<String> groups, Object data, Collection<String> exclude) {
        return excluding(delivered("send_to_group", args("groups", ids("groups", groups), "data", data(data))),
                exclude);
    }

    Operation<Integer> sendToAll(Object data, Collection<String> exclude) {
        return excluding(delivered("send_to_all", args("data", data(data))), exclude);
    }

    Operation<Boolean> closeClient(String clientId, Object data) {
        Map<String, Object> args = args("client_id", clientId);
        if (data != null) {
            args.put("data", data(data));
        }
        return new Operation<>("close_client", args, r -> r.path("closed").asBoolean(), false);
    }

    Operation<Boolean> isOnline(String clientId) {
        return query("is_online", args("client_id", clientId), r -> r.path("online").asBoolean());
    }

    Operation<Boolean> isUidOnline(String uid) {
        return query("is_uid_online", args("uid", uid), r -> r.path("online").asBoolean());
    }

    Operation<List<String>> getClientIdsByUid(String uid) {
        return query("get_client_ids_by_uid", args("uid", uid), r -> strings(r.path("client_ids")));
    }

    Operation<Optional<String>> getUidByClientId(String clientId) {
        return query("get_uid_by_client_id", args("client_id", clientId),
                r -> Optional.ofNullable(stringOrNull(r.path("uid"))));
    }

    Operation<List<String>> getClientIdsByGroup(String group) {
        return query("get_client_ids_by_group", args("group", group), r -> strings(r.path("client_ids")));
    }

    Operation<List<String>> getUidsByGroup(String group) {
        return query("get_uids_by_group", args("group", group), r -> strings(r.path("uids")));
    }

    Operation<List<String>> getAllUids() {
        return query("get_all_uids", args(), r -> strings(r.path("uids")));
    }

    Operation<Map<String, Integer>> getAllGroups() {
        return query("get_all_groups", args(), r -> {
            Map<String, Integer> groups = new LinkedHashMap<>();
            r.path("groups").properties().forEach(e -> groups.put(e.getKey(), e.getValue().asInt()));
            return Map.copyOf(groups);
        });
    }

    /** {@code group} may be null: the count over every connection. */
    Operation<Integer> getClientCount(String group) {
        return query("get_client_count", optionalGroup(group), r -> r.path("count").asInt());
    }

    /** {@code group} may be null: the count over every uid. */
    Operation<Integer> getUidCount(String group) {
        return query("get_uid_count", optionalGroup(group), r -> r.path("count").asInt());
    }

    Operation<Void> setSession(String clientId, Map<String, ?> session) {
        return none("set_session", args("client_id", clientId, "session", session));
    }

    Operation<Void> updateSession(String clientId, Map<String, ?> session) {
        return none("update_session", args("client_id", clientId, "session", session));
    }

    Operation<Optional<Map<String, Object>>> getSession(String clientId) {
        return query("get_session", args("client_id", clientId),
                r -> Optional.ofNullable(map(r.path("session"))));
    }

    Operation<ClientInfo> getClientInfo(String clientId) {
        return query("get_client_info", args("client_id", clientId), r -> {
            String connectedAt = stringOrNull(r.path("connected_at"));
            return new ClientInfo(r.path("online").asBoolean(), stringOrNull(r.path("uid")),
                    strings(r.path("groups")), map(r.path("session")),
                    connectedAt == null ? null : Instant.parse(connectedAt));
        });
    }

    Operation<Stats> stats() {
        return query("stats", args(), r -> new Stats(r.path("clients").asInt(), r.path("uids").asInt(),
                r.path("groups").asInt(), r.path("frames_sent").asLong(), r.path("frames_dropped").asLong(),
                r.path("slow_client_closes").asLong(), stringOrNull(r.path("node_id")),
                r.path("node_clients").asInt(), r.path("connections_total").asLong(),
                r.path("uptime_s").asLong()));
    }

    /** A read: it changes nothing, so it is safe to send again to another node. */
    private static <T> Operation<T> query(String method, Map<String, Object> args, Function<JsonNode, T> decoder) {
        return new Operation<>(method, args, decoder, true);
    }

    /** A change of state with no result: never sent again once it may have arrived (see {@link Operation}). */
    private static Operation<Void> none(String method, Map<String, Object> args) {
        return new Operation<>(method, args, r -> null, false);
    }

    /** A send: safe to send again to another node, since pages drop duplicate frames by id. */
    private static Operation<Integer> delivered(String method, Map<String, Object> args) {
        return new Operation<>(method, args, r -> r.path("delivered").asInt(), true);
    }

    private static Operation<Integer> excluding(Operation<Integer> op, Collection<String> exclude) {
        if (exclude != null && !exclude.isEmpty()) {
            op.args().put("exclude_client_ids", ids("excludeClientIds", exclude));
        }
        return op;
    }

    private static Map<String, Object> optionalGroup(String group) {
        return group == null ? args() : args("group", group);
    }

    /**
     * A String goes as a JSON string, so the page receives exactly its text; anything else is serialised by the
     * client's ObjectMapper when the body is written.
     */
    private static Object data(Object data) {
        Objects.requireNonNull(data, "data == null");
        return data instanceof String text ? StringNode.valueOf(text) : data;
    }

    /** A body from name/value pairs; every value is required. */
    private static Map<String, Object> args(Object... pairs) {
        Map<String, Object> args = new LinkedHashMap<>(pairs.length);
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            args.put(name, Objects.requireNonNull(pairs[i + 1], () -> javaName(name) + " == null"));
        }
        return args;
    }

    private static List<String> ids(String name, Collection<String> ids) {
        Objects.requireNonNull(ids, name + " == null");
        for (String id : ids) {
            Objects.requireNonNull(id, () -> name + " contains null");
        }
        return List.copyOf(ids);
    }

    /** {@code client_id} to {@code clientId}, so a failure names the caller's parameter. */
    private static String javaName(String field) {
        StringBuilder name = new StringBuilder(field.length());
        boolean upper = false;
        for (char c : field.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }

    private static String stringOrNull(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asString();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            values.add(item.asString());
        }
        return List.copyOf(values);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return node.isObject() ? mapper.treeToValue(node, Map.class) : null;
    }
}
