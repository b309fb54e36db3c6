package io.pushgate.server.admin;

import io.pushgate.server.broker.Broker;
import io.pushgate.server.hub.Hub;
import io.pushgate.server.hub.OutboundFrame;
import io.pushgate.server.presence.ClientInfo;
import io.pushgate.server.presence.Presence;
import io.pushgate.server.presence.UnknownClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admin methods of the contract, by name. Transport-free: {@link AdminHttpHandler} feeds it parsed bodies,
 * and the results are records that Jackson writes in snake_case.
 */
public final class AdminApi {

    /** One admin method. */
    @FunctionalInterface
    interface Method {
        Object call(RequestBody body) throws UnknownClientException;
    }

    record Empty() {
    }

    record Delivered(int delivered) {
    }

    record Closed(boolean closed) {
    }

    record Online(boolean online) {
    }

    record ClientIds(Collection<String> clientIds) {
    }

    record Uid(String uid) {
    }

    record Uids(Collection<String> uids) {
    }

    record Groups(Map<String, Integer> groups) {
    }

    record Count(int count) {
    }

    record Session(Map<String, Object> session) {
    }

    record Info(boolean online, String uid, Collection<String> groups, Map<String, Object> session,
                String connectedAt) {
    }

    /**
     * {@code clients}, {@code uids}, {@code groups} and {@code nodes} are cluster-wide (from the presence store);
     * the rest are this node's own.
     */
    record Stats(int clients, int uids, int groups, long framesSent, long framesDropped, long slowClientCloses,
                 String nodeId, int nodeClients, long connectionsTotal, long uptimeS, int nodes) {
    }

    record Results(List<Object> results) {
    }

    /**
     * A failed op's entry in a batch's results: the contract's error body plus the HTTP status the call would have
     * had on its own, so a client need not map codes back to statuses.
     */
    record OpError(Error error) {
        record Error(String code, String message, int status) {
        }
    }

    private static final Empty EMPTY = new Empty();

    private final Map<String, Method> methods = new LinkedHashMap<>();
    private final Presence presence;
    private final Broker broker;
    private final Hub hub;
    private final JsonMapper json;
    private final String nodeId;
    private final long startedAt = System.currentTimeMillis();

    public AdminApi(Presence presence, Broker broker, Hub hub, JsonMapper json, String nodeId) {
        this.presence = presence;
        this.broker = broker;
        this.hub = hub;
        this.json = json;
        this.nodeId = nodeId;

        methods.put("bind_uid", b -> {
            presence.bindUid(b.string("client_id"), b.string("uid"));
            return EMPTY;
        });
        methods.put("unbind_uid", b -> {
            presence.unbindUid(b.string("client_id"), b.string("uid"));
            return EMPTY;
        });
        methods.put("join_group", b -> {
            presence.joinGroup(b.string("client_id"), b.string("group"));
            return EMPTY;
        });
        methods.put("leave_group", b -> {
            presence.leaveGroup(b.string("client_id"), b.string("group"));
            return EMPTY;
        });
        methods.put("ungroup", b -> {
            presence.ungroup(b.string("group"));
            return EMPTY;
        });
        methods.put("send_to_client", b -> {
            List<String> ids = b.oneOrMany("client_id", "client_ids");
            return new Delivered(broker.deliver(new HashSet<>(ids), frame(b)));
        });
        methods.put("send_to_uid", b -> {
            List<String> uids = b.oneOrMany("uid", "uids");
            OutboundFrame frame = frame(b);
            return deliver(presence.clientIdsOfUids(uids), b.optionalSet("exclude_client_ids"), frame);
        });
        methods.put("send_to_group", b -> {
            List<String> groups = b.oneOrMany("group", "groups");
            OutboundFrame frame = frame(b);
            return deliver(presence.clientIdsOfGroups(groups), b.optionalSet("exclude_client_ids"), frame);
        });
        methods.put("send_to_all", b -> {
            OutboundFrame frame = frame(b);
            return new Delivered(broker.deliverToAll(frame, b.optionalSet("exclude_client_ids")));
        });
        methods.put("close_client", b -> {
            String clientId = b.string("client_id");
            JsonNode data = b.optional("data");
            OutboundFrame last = data == null || data.isNull() ? null : frame(b);
            return new Closed(broker.closeClient(clientId, last));
        });
        methods.put("is_online", b -> new Online(presence.isOnline(b.string("client_id"))));
        methods.put("is_uid_online", b -> new Online(presence.isUidOnline(b.string("uid"))));
        methods.put("get_client_ids_by_uid", b -> new ClientIds(presence.clientIdsOfUid(b.string("uid"))));
        methods.put("get_uid_by_client_id", b -> new Uid(presence.uidOf(b.string("client_id")).orElse(null)));
        methods.put("get_client_ids_by_group",
                b -> new ClientIds(presence.clientIdsOfGroup(b.string("group"))));
        methods.put("get_uids_by_group", b -> new Uids(presence.uidsOfGroup(b.string("group"))));
        methods.put("get_all_uids", b -> new Uids(presence.allUids()));
        methods.put("get_all_groups", b -> new Groups(presence.allGroups()));
        methods.put("get_client_count", b -> {
            String group = b.optionalString("group");
            return new Count(group == null ? presence.clientCount() : presence.clientCountOfGroup(group));
        });
        methods.put("get_uid_count", b -> {
            String group = b.optionalString("group");
            return new Count(group == null ? presence.uidCount() : presence.uidCountOfGroup(group));
        });
        methods.put("set_session", b -> {
            presence.setSession(b.string("client_id"), b.object("session"));
            return EMPTY;
        });
        methods.put("update_session", b -> {
            presence.updateSession(b.string("client_id"), b.object("session"));
            return EMPTY;
        });
        methods.put("get_session", b -> new Session(presence.session(b.string("client_id")).orElse(null)));
        methods.put("get_client_info", b -> presence.clientInfo(b.string("client_id"))
                .map(AdminApi::info)
                .orElse(new Info(false, null, List.of(), null, null)));
        methods.put("stats", b -> stats());
        methods.put("batch", this::batch);
    }

    /** True if {@code name} is an admin method. */
    public boolean has(String name) {
        return methods.containsKey(name);
    }

    /**
     * Runs one method. Throws {@link AdminException} with the contract's status and code for a call that cannot
     * be served.
     */
    public Object call(String name, ObjectNode body) {
        Method method = methods.get(name);
        if (method == null) {
            throw new AdminException(404, "unknown_method", "no admin method '" + name + "'");
        }
        try {
            return method.call(new RequestBody(body, json));
        } catch (UnknownClientException e) {
            throw new AdminException(404, "client_not_found", e.getMessage());
        }
    }

    public Stats stats() {
        return new Stats(presence.clientCount(), presence.uidCount(), presence.groupCount(), hub.framesSent(),
                hub.framesDropped(), hub.slowClientCloses(), nodeId, hub.size(), hub.connectionsOpened(),
                (System.currentTimeMillis() - startedAt) / 1000, presence.nodeCount());
    }

    private Results batch(RequestBody body) {
        JsonNode ops = body.required("ops");
        if (!ops.isArray()) {
            throw AdminException.badRequest("field 'ops' must be an array");
        }
        List<Object> results = new ArrayList<>(ops.size());
        for (JsonNode op : ops) {
            results.add(batchOne(op));
        }
        return new Results(results);
    }

    private Object batchOne(JsonNode op) {
        try {
            if (!op.isObject() || !op.path("method").isString()) {
                throw AdminException.badRequest("each op must be an object with a string 'method'");
            }
            String name = op.get("method").stringValue();
            if ("batch".equals(name)) {
                throw AdminException.badRequest("batch cannot be nested");
            }
            ObjectNode args = ((ObjectNode) op).deepCopy();
            args.remove("method");
            return call(name, args);
        } catch (AdminException e) {
            return new OpError(new OpError.Error(e.code(), e.getMessage(), e.status()));
        }
    }

    private Delivered deliver(Set<String> clientIds, Set<String> exclude, OutboundFrame frame) {
        if (!exclude.isEmpty()) {
            Set<String> kept = new HashSet<>(clientIds);
            kept.removeAll(exclude);
            clientIds = kept;
        }
        return new Delivered(clientIds.isEmpty() ? 0 : broker.deliver(clientIds, frame));
    }

    private static OutboundFrame frame(RequestBody body) {
        return OutboundFrame.text(body.data("data"));
    }

    private static Info info(ClientInfo c) {
        return new Info(true, c.uid(), c.groups(), c.session(), Instant.ofEpochMilli(c.connectedAt()).toString());
    }
}
