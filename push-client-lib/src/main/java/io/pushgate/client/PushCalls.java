package io.pushgate.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
 * Every admin method of the contract, described once: each method here checks its arguments, names the body's
 * fields and knows how to decode the result, and returns a {@link PushCall} to run now ({@link PushCall#execute()}),
 * later ({@link PushCall#enqueue()}) or in a batch ({@link PushBatch#add}). Get it from {@link PushClient#calls()};
 * {@link PushClient}'s blocking methods are shortcuts for {@code calls().x(...).execute()}.
 *
 * <p>Arguments are checked at once: a null one throws {@code NullPointerException("uid == null")}. Each call's
 * errors are {@link PushException}s, as {@link PushClient} lists them.
 */
public final class PushCalls {
    private final ObjectMapper mapper;
    private final AdminTransport transport;
    private final CallCoalescer sender;

    PushCalls(ObjectMapper mapper, AdminTransport transport, CallCoalescer sender) {
        this.mapper = mapper;
        this.transport = transport;
        this.sender = sender;
    }

    // ---- binding and groups

    /**
     * Binds a connection to a uid, so {@link #sendToUid} reaches it. A uid may have many connections (tabs,
     * devices); a connection has at most one uid, and binding it again replaces it. Fails with
     * {@link ClientNotFoundException} if {@code clientId} is not connected.
     */
    public PushCall<Void> bindUid(String clientId, String uid) {
        return none("bind_uid", args("client_id", clientId, "uid", uid));
    }

    /** Removes a connection's binding to {@code uid}; nothing happens if it is bound to another uid or none. */
    public PushCall<Void> unbindUid(String clientId, String uid) {
        return none("unbind_uid", args("client_id", clientId, "uid", uid));
    }

    /**
     * Adds a connection to a group. A connection leaves its groups when it closes. Fails with
     * {@link ClientNotFoundException} if {@code clientId} is not connected.
     */
    public PushCall<Void> joinGroup(String clientId, String group) {
        return none("join_group", args("client_id", clientId, "group", group));
    }

    /** Removes a connection from a group. */
    public PushCall<Void> leaveGroup(String clientId, String group) {
        return none("leave_group", args("client_id", clientId, "group", group));
    }

    /** Dissolves a group: every member leaves it; the connections stay open. */
    public PushCall<Void> ungroup(String group) {
        return none("ungroup", args("group", group));
    }

    // ---- sending: a frame's data is a String sent as it is, or an object serialised to JSON; each send's result
    // is the number of connections the frame was handed to (0 when the uid, group or connection is gone)

    /** Sends a frame to one connection: 1 if it was handed over, 0 if the connection is gone. */
    public PushCall<Integer> sendToClient(String clientId, Object data) {
        return delivered("send_to_client", args("client_id", clientId, "data", data(data)));
    }

    /** Sends a frame to several connections. */
    public PushCall<Integer> sendToClient(Collection<String> clientIds, Object data) {
        return delivered("send_to_client", args("client_ids", ids("clientIds", clientIds), "data", data(data)));
    }

    /** Sends a frame to every connection of a uid; 0 if the uid is offline. */
    public PushCall<Integer> sendToUid(String uid, Object data) {
        return sendToUid(uid, data, List.of());
    }

    /** Sends a frame to every connection of a uid except {@code excludeClientIds} (typically the sender's tab). */
    public PushCall<Integer> sendToUid(String uid, Object data, Collection<String> excludeClientIds) {
        return delivered("send_to_uid", excluding(args("uid", uid, "data", data(data)), excludeClientIds));
    }

    /** Sends a frame to every connection of several uids; a connection gets it once. */
    public PushCall<Integer> sendToUid(Collection<String> uids, Object data) {
        return sendToUid(uids, data, List.of());
    }

    /** Sends a frame to every connection of several uids except {@code excludeClientIds}. */
    public PushCall<Integer> sendToUid(Collection<String> uids, Object data, Collection<String> excludeClientIds) {
        return delivered("send_to_uid", excluding(args("uids", ids("uids", uids), "data", data(data)),
                excludeClientIds));
    }

    /** Sends a frame to every member of a group. */
    public PushCall<Integer> sendToGroup(String group, Object data) {
        return sendToGroup(group, data, List.of());
    }

    /** Sends a frame to every member of a group except {@code excludeClientIds}. */
    public PushCall<Integer> sendToGroup(String group, Object data, Collection<String> excludeClientIds) {
        return delivered("send_to_group", excluding(args("group", group, "data", data(data)), excludeClientIds));
    }

    /** Sends a frame to every member of several groups; a connection gets it once. */
    public PushCall<Integer> sendToGroup(Collection<String> groups, Object data) {
        return sendToGroup(groups, data, List.of());
    }

    /** Sends a frame to every member of several groups except {@code excludeClientIds}. */
    public PushCall<Integer> sendToGroup(Collection<String> groups, Object data,
                                         Collection<String> excludeClientIds) {
        return delivered("send_to_group", excluding(args("groups", ids("groups", groups), "data", data(data)),
                excludeClientIds));
    }

    /** Sends a frame to every open connection. */
    public PushCall<Integer> sendToAll(Object data) {
        return sendToAll(data, List.of());
    }

    /** Sends a frame to every open connection except {@code excludeClientIds}. */
    public PushCall<Integer> sendToAll(Object data, Collection<String> excludeClientIds) {
        return delivered("send_to_all", excluding(args("data", data(data)), excludeClientIds));
    }

    /** Closes a connection; true if it was open. */
    public PushCall<Boolean> closeClient(String clientId) {
        return closed(args("client_id", clientId));
    }

    /** Sends a last frame to a connection, then closes it; true if it was open. */
    public PushCall<Boolean> closeClient(String clientId, Object data) {
        return closed(args("client_id", clientId, "data", data(data)));
    }

    // ---- presence

    /** True if the connection is open. */
    public PushCall<Boolean> isOnline(String clientId) {
        return query("is_online", args("client_id", clientId), r -> r.path("online").asBoolean());
    }

    /** True if the uid has at least one open connection. */
    public PushCall<Boolean> isUidOnline(String uid) {
        return query("is_uid_online", args("uid", uid), r -> r.path("online").asBoolean());
    }

    /** The open connections bound to a uid; empty when it is offline. */
    public PushCall<List<String>> getClientIdsByUid(String uid) {
        return query("get_client_ids_by_uid", args("uid", uid), r -> strings(r.path("client_ids")));
    }

    /** The uid a connection is bound to; empty when it is unbound or gone. */
    public PushCall<Optional<String>> getUidByClientId(String clientId) {
        return query("get_uid_by_client_id", args("client_id", clientId),
                r -> Optional.ofNullable(stringOrNull(r.path("uid"))));
    }

    /** The connections in a group. */
    public PushCall<List<String>> getClientIdsByGroup(String group) {
        return query("get_client_ids_by_group", args("group", group), r -> strings(r.path("client_ids")));
    }

    /** The uids with at least one connection in a group. */
    public PushCall<List<String>> getUidsByGroup(String group) {
        return query("get_uids_by_group", args("group", group), r -> strings(r.path("uids")));
    }

    /** Every online uid. */
    public PushCall<List<String>> getAllUids() {
        return query("get_all_uids", args(), r -> strings(r.path("uids")));
    }

    /** Every group with members, and how many connections each has. */
    public PushCall<Map<String, Integer>> getAllGroups() {
        return query("get_all_groups", args(), r -> {
            Map<String, Integer> groups = new LinkedHashMap<>();
            r.path("groups").properties().forEach(e -> groups.put(e.getKey(), e.getValue().asInt()));
            return Map.copyOf(groups);
        });
    }

    /** The number of open connections. */
    public PushCall<Integer> getClientCount() {
        return query("get_client_count", args(), r -> r.path("count").asInt());
    }

    /** The number of connections in a group. */
    public PushCall<Integer> getClientCount(String group) {
        return query("get_client_count", args("group", group), r -> r.path("count").asInt());
    }

    /** The number of online uids. */
    public PushCall<Integer> getUidCount() {
        return query("get_uid_count", args(), r -> r.path("count").asInt());
    }

    /** The number of uids with at least one connection in a group. */
    public PushCall<Integer> getUidCount(String group) {
        return query("get_uid_count", args("group", group), r -> r.path("count").asInt());
    }

    // ---- sessions

    /**
     * Replaces a connection's session: a small map kept with the connection until it closes. Fails with
     * {@link ClientNotFoundException} if {@code clientId} is not connected.
     */
    public PushCall<Void> setSession(String clientId, Map<String, ?> session) {
        return none("set_session", args("client_id", clientId, "session", session));
    }

    /**
     * Merges entries into a connection's session. Fails with {@link ClientNotFoundException} if {@code clientId}
     * is not connected.
     */
    public PushCall<Void> updateSession(String clientId, Map<String, ?> session) {
        return none("update_session", args("client_id", clientId, "session", session));
    }

    /** A connection's session (an empty map until one is set); an empty Optional when the connection is gone. */
    public PushCall<Optional<Map<String, Object>>> getSession(String clientId) {
        return query("get_session", args("client_id", clientId),
                r -> Optional.ofNullable(map(r.path("session"))));
    }

    /** Everything known about a connection; {@link ClientInfo#online()} is false when it is gone. */
    public PushCall<ClientInfo> getClientInfo(String clientId) {
        return query("get_client_info", args("client_id", clientId), r -> {
            String connectedAt = stringOrNull(r.path("connected_at"));
            return new ClientInfo(r.path("online").asBoolean(), stringOrNull(r.path("uid")),
                    strings(r.path("groups")), map(r.path("session")),
                    connectedAt == null ? null : Instant.parse(connectedAt));
        });
    }

    /** The server's counters. */
    public PushCall<Stats> stats() {
        return query("stats", args(), r -> new Stats(r.path("clients").asInt(), r.path("uids").asInt(),
                r.path("groups").asInt(), r.path("frames_sent").asLong(), r.path("frames_dropped").asLong(),
                r.path("slow_client_closes").asLong(), stringOrNull(r.path("node_id")),
                r.path("node_clients").asInt(), r.path("connections_total").asLong(),
                r.path("uptime_s").asLong(), r.path("nodes").asInt()));
    }

    /** A read: it changes nothing, so it is safe to send again to another node. */
    private <T> PushCall<T> query(String method, Map<String, Object> args, Function<JsonNode, T> decoder) {
        return new PushCall<>(transport, sender, method, args, decoder, true);
    }

    /** A change of state with no result: never sent again once it may have arrived (see {@link PushCall}). */
    private PushCall<Void> none(String method, Map<String, Object> args) {
        return new PushCall<>(transport, sender, method, args, r -> null, false);
    }

    /** A send: safe to send again to another node, since pages drop duplicate frames by id. */
    private PushCall<Integer> delivered(String method, Map<String, Object> args) {
        return new PushCall<>(transport, sender, method, args, r -> r.path("delivered").asInt(), true);
    }

    /** A close changes state: a second one would answer "was not open". */
    private PushCall<Boolean> closed(Map<String, Object> args) {
        return new PushCall<>(transport, sender, "close_client", args, r -> r.path("closed").asBoolean(), false);
    }

    /** Adds the exclude list unless it is null or empty (both mean: exclude nobody). */
    private static Map<String, Object> excluding(Map<String, Object> args, Collection<String> exclude) {
        if (exclude != null && !exclude.isEmpty()) {
            args.put("exclude_client_ids", ids("excludeClientIds", exclude));
        }
        return args;
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

    /** A JSON object as an unmodifiable map (its values may be null), or null for anything else. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return node.isObject() ? Collections.unmodifiableMap(mapper.treeToValue(node, LinkedHashMap.class)) : null;
    }
}
