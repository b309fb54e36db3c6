package io.pushgate.server.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.pushgate.server.BackendUnavailableException;
import io.pushgate.server.presence.ClientInfo;
import io.pushgate.server.presence.Presence;
import io.pushgate.server.presence.UnknownClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Presence for a cluster: the state of every node's clients in one Redis, so that any node answers for all.
 *
 * <p>Each change is one Lua script, which Redis runs atomically: a client is in a uid's or a group's set exactly
 * when its own hash says so, a bind or join for a client that is gone fails, and a uid or group whose last member
 * leaves disappears with it. The key layout is described in {@code common.lua}; every key starts with the
 * cluster's prefix (PUSH_REDIS_PREFIX).
 *
 * <p>When Redis cannot be reached, calls fail at once with {@link BackendUnavailableException} (the admin API's
 * 503), except {@link #removeClient}: a removal that fails is remembered and retried by the node's heartbeat, so
 * a connection that closes during an outage does not stay listed after it.
 */
final class RedisPresence implements Presence {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    private static final LuaScript ADD_CLIENT = LuaScript.load("add_client");
    private static final LuaScript REMOVE_CLIENT = LuaScript.load("remove_client");
    private static final LuaScript BIND_UID = LuaScript.load("bind_uid");
    private static final LuaScript UNBIND_UID = LuaScript.load("unbind_uid");
    private static final LuaScript JOIN_GROUP = LuaScript.load("join_group");
    private static final LuaScript LEAVE_GROUP = LuaScript.load("leave_group");
    private static final LuaScript UNGROUP = LuaScript.load("ungroup");
    private static final LuaScript SET_SESSION = LuaScript.load("set_session");
    private static final LuaScript CLIENT_INFO = LuaScript.load("client_info");
    private static final LuaScript UIDS_OF_GROUP = LuaScript.load("uids_of_group");
    private static final LuaScript CLIENT_COUNT = LuaScript.load("client_count");

    private final RedisCommands<String, String> redis;
    private final String prefix;
    private final String nodeId;
    private final JsonMapper json;
    private final Set<String> pendingRemovals = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean halted;

    RedisPresence(RedisCommands<String, String> redis, String prefix, String nodeId, JsonMapper json) {
        this.redis = redis;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.json = json;
    }

    @Override
    public void addClient(String clientId, long connectedAtMillis, String uid) {
        String at = Long.toString(connectedAtMillis);
        long added;
        try {
            added = uid == null
                    ? ADD_CLIENT.run(redis, ScriptOutputType.INTEGER, prefix, clientId, nodeId, at)
                    : ADD_CLIENT.run(redis, ScriptOutputType.INTEGER, prefix, clientId, nodeId, at, uid);
        } catch (RedisException e) {
            pendingRemovals.add(clientId); // the script may have run before the failure was seen
            throw RedisBackend.unavailable(e);
        }
        if (added == 0) {
            throw new IllegalStateException("client_id already registered: " + clientId);
        }
    }

    @Override
    public void removeClient(String clientId) {
        if (halted) {
            return;
        }
        try {
            REMOVE_CLIENT.run(redis, ScriptOutputType.INTEGER, prefix, clientId);
        } catch (RedisException e) {
            pendingRemovals.add(clientId);
            log.warn("Redis unavailable: removal of client {} will be retried ({})", clientId, e.getMessage());
        }
    }

    @Override
    public boolean isOnline(String clientId) {
        return call(() -> redis.exists(clientKey(clientId)) == 1);
    }

    @Override
    public void bindUid(String clientId, String uid) throws UnknownClientException {
        requireKnown(clientId, script(BIND_UID, clientId, uid));
    }

    @Override
    public void unbindUid(String clientId, String uid) {
        script(UNBIND_UID, clientId, uid);
    }

    @Override
    public void joinGroup(String clientId, String group) throws UnknownClientException {
        requireKnown(clientId, script(JOIN_GROUP, clientId, group));
    }

    @Override
    public void leaveGroup(String clientId, String group) {
        script(LEAVE_GROUP, clientId, group);
    }

    @Override
    public void ungroup(String group) {
        script(UNGROUP, group);
    }

    @Override
    public Optional<String> uidOf(String clientId) {
        return Optional.ofNullable(call(() -> redis.hget(clientKey(clientId), "uid")));
    }

    @Override
    public Set<String> clientIdsOfUid(String uid) {
        return call(() -> redis.smembers(prefix + "uid:" + uid));
    }

    @Override
    public Set<String> clientIdsOfUids(Collection<String> uids) {
        return union("uid:", uids);
    }

    @Override
    public Set<String> clientIdsOfGroup(String group) {
        return call(() -> redis.smembers(prefix + "group:" + group));
    }

    @Override
    public Set<String> clientIdsOfGroups(Collection<String> groups) {
        return union("group:", groups);
    }

    @Override
    public Set<String> uidsOfGroup(String group) {
        List<String> uids = call(() -> UIDS_OF_GROUP.run(redis, ScriptOutputType.MULTI, prefix, group));
        return new HashSet<>(uids);
    }

    @Override
    public boolean isUidOnline(String uid) {
        return call(() -> redis.hexists(prefix + "uids", uid));
    }

    @Override
    public Set<String> allUids() {
        return new HashSet<>(call(() -> redis.hkeys(prefix + "uids")));
    }

    @Override
    public Map<String, Integer> allGroups() {
        Map<String, String> counts = call(() -> redis.hgetall(prefix + "groups"));
        Map<String, Integer> result = new LinkedHashMap<>();
        counts.forEach((group, count) -> result.put(group, Integer.parseInt(count)));
        return result;
    }

    @Override
    public int clientCount() {
        long count = call(() -> CLIENT_COUNT.run(redis, ScriptOutputType.INTEGER, prefix));
        return (int) count;
    }

    @Override
    public int groupCount() {
        return call(() -> redis.hlen(prefix + "groups")).intValue();
    }

    @Override
    public int clientCountOfGroup(String group) {
        return call(() -> redis.scard(prefix + "group:" + group)).intValue();
    }

    @Override
    public int uidCount() {
        return call(() -> redis.hlen(prefix + "uids")).intValue();
    }

    @Override
    public int uidCountOfGroup(String group) {
        return uidsOfGroup(group).size();
    }

    /** The nodes registered in the cluster (a dead one counts until it is swept, within three heartbeats). */
    @Override
    public int nodeCount() {
        return call(() -> redis.scard(prefix + "nodes")).intValue();
    }

    @Override
    public void setSession(String clientId, Map<String, Object> session) throws UnknownClientException {
        writeSession(clientId, session, true);
    }

    @Override
    public void updateSession(String clientId, Map<String, Object> changes) throws UnknownClientException {
        writeSession(clientId, changes, false);
    }

    @Override
    public Optional<Map<String, Object>> session(String clientId) {
        return clientInfo(clientId).map(ClientInfo::session);
    }

    @Override
    public Optional<ClientInfo> clientInfo(String clientId) {
        List<Object> reply = call(() -> CLIENT_INFO.run(redis, ScriptOutputType.MULTI, prefix, clientId));
        if (reply == null || reply.isEmpty()) {
            return Optional.empty();
        }
        long at = Long.parseLong((String) reply.get(0));
        List<?> uid = (List<?>) reply.get(1);
        Set<String> groups = new HashSet<>();
        for (Object group : (List<?>) reply.get(2)) {
            groups.add((String) group);
        }
        List<?> flat = (List<?>) reply.get(3);
        Map<String, Object> session = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            session.put((String) flat.get(i), json.readValue((String) flat.get(i + 1), Object.class));
        }
        return Optional.of(new ClientInfo(clientId, uid.isEmpty() ? null : (String) uid.get(0), Set.copyOf(groups),
                session, at));
    }

    /** The connection and its keys belong to {@link RedisBackend}, which closes them. */
    @Override
    public void close() {
    }

    /** Retries the removals that failed while Redis was unreachable; called by the heartbeat. */
    void retryPendingRemovals() {
        for (String clientId : pendingRemovals) {
            REMOVE_CLIENT.run(redis, ScriptOutputType.INTEGER, prefix, clientId);
            pendingRemovals.remove(clientId);
        }
    }

    /** From now on this node changes nothing in Redis when its connections drop (a simulated crash). */
    void halt() {
        halted = true;
    }

    private void writeSession(String clientId, Map<String, Object> values, boolean replace)
            throws UnknownClientException {
        List<String> args = new ArrayList<>(3 + 2 * values.size());
        args.add(prefix);
        args.add(clientId);
        args.add(replace ? "1" : "0");
        values.forEach((key, value) -> {
            args.add(key);
            args.add(json.writeValueAsString(value));
        });
        long done = call(() -> SET_SESSION.run(redis, ScriptOutputType.INTEGER, args.toArray(String[]::new)));
        requireKnown(clientId, done);
    }

    private long script(LuaScript script, String... args) {
        String[] withPrefix = new String[args.length + 1];
        withPrefix[0] = prefix;
        System.arraycopy(args, 0, withPrefix, 1, args.length);
        return call(() -> script.run(redis, ScriptOutputType.INTEGER, withPrefix));
    }

    private Set<String> union(String kind, Collection<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        String[] keys = names.stream().map(name -> prefix + kind + name).toArray(String[]::new);
        return call(() -> keys.length == 1 ? redis.smembers(keys[0]) : redis.sunion(keys));
    }

    private String clientKey(String clientId) {
        return prefix + "client:" + clientId;
    }

    private static void requireKnown(String clientId, long result) throws UnknownClientException {
        if (result == 0) {
            throw new UnknownClientException(clientId);
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisException e) {
            throw RedisBackend.unavailable(e);
        }
    }
}
