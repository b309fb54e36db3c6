package io.pushgate.server.presence;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence for a single node, in memory.
 *
 * <p>Every lookup is a hash lookup. Each client has one state object, and every change to that client, including
 * its entries in the uid and group indexes, is made while holding its lock: so a client is in an index exactly
 * when its own state says so, and a bind or join racing with the client's removal either lands before the
 * removal (and is undone by it) or sees the removal and fails. Index entries are created and dropped atomically
 * with {@link ConcurrentHashMap#compute}, so an empty uid or group disappears.
 */
public final class MemoryPresence implements Presence {

    private static final class ClientState {
        final String clientId;
        final long connectedAt;
        final Set<String> groups = new HashSet<>(4);
        volatile String uid;
        Map<String, Object> session = Map.of();
        boolean removed;

        ClientState(String clientId, long connectedAt) {
            this.clientId = clientId;
            this.connectedAt = connectedAt;
        }
    }

    private final ConcurrentHashMap<String, ClientState> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> uids = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> groups = new ConcurrentHashMap<>();

    @Override
    public void addClient(String clientId, long connectedAtMillis, String uid) {
        ClientState state = new ClientState(clientId, connectedAtMillis);
        synchronized (state) {
            if (clients.putIfAbsent(clientId, state) != null) {
                throw new IllegalStateException("client_id already registered: " + clientId);
            }
            if (uid != null) {
                state.uid = uid;
                indexAdd(uids, uid, clientId);
            }
        }
    }

    @Override
    public void removeClient(String clientId) {
        ClientState state = clients.remove(clientId);
        if (state == null) {
            return;
        }
        synchronized (state) {
            state.removed = true;
            if (state.uid != null) {
                indexRemove(uids, state.uid, clientId);
                state.uid = null;
            }
            for (String group : state.groups) {
                indexRemove(groups, group, clientId);
            }
            state.groups.clear();
            state.session = Map.of();
        }
    }

    @Override
    public boolean isOnline(String clientId) {
        return clients.containsKey(clientId);
    }

    @Override
    public void bindUid(String clientId, String uid) throws UnknownClientException {
        ClientState state = require(clientId);
        synchronized (state) {
            requireLive(state);
            if (uid.equals(state.uid)) {
                return;
            }
            if (state.uid != null) {
                indexRemove(uids, state.uid, clientId);
            }
            state.uid = uid;
            indexAdd(uids, uid, clientId);
        }
    }

    @Override
    public void unbindUid(String clientId, String uid) {
        ClientState state = clients.get(clientId);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (!state.removed && uid.equals(state.uid)) {
                indexRemove(uids, uid, clientId);
                state.uid = null;
            }
        }
    }

    @Override
    public void joinGroup(String clientId, String group) throws UnknownClientException {
        ClientState state = require(clientId);
        synchronized (state) {
            requireLive(state);
            if (state.groups.add(group)) {
                indexAdd(groups, group, clientId);
            }
        }
    }

    @Override
    public void leaveGroup(String clientId, String group) {
        ClientState state = clients.get(clientId);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (!state.removed && state.groups.remove(group)) {
                indexRemove(groups, group, clientId);
            }
        }
    }

    @Override
    public void ungroup(String group) {
        Set<String> members = groups.get(group);
        if (members == null) {
            return;
        }
        for (String clientId : Set.copyOf(members)) {
            leaveGroup(clientId, group);
        }
    }

    @Override
    public Optional<String> uidOf(String clientId) {
        ClientState state = clients.get(clientId);
        return state == null ? Optional.empty() : Optional.ofNullable(state.uid);
    }

    @Override
    public Set<String> clientIdsOfUid(String uid) {
        return copyOf(uids.get(uid));
    }

    @Override
    public Set<String> clientIdsOfUids(Collection<String> uidList) {
        return union(uids, uidList);
    }

    @Override
    public Set<String> clientIdsOfGroup(String group) {
        return copyOf(groups.get(group));
    }

    @Override
    public Set<String> clientIdsOfGroups(Collection<String> groupList) {
        return union(groups, groupList);
    }

    @Override
    public Set<String> uidsOfGroup(String group) {
        Set<String> members = groups.get(group);
        if (members == null) {
            return Set.of();
        }
        Set<String> result = new HashSet<>();
        for (String clientId : members) {
            ClientState state = clients.get(clientId);
            String uid = state == null ? null : state.uid;
            if (uid != null) {
                result.add(uid);
            }
        }
        return result;
    }

    @Override
    public boolean isUidOnline(String uid) {
        return uids.containsKey(uid);
    }

    @Override
    public Set<String> allUids() {
        return Set.copyOf(uids.keySet());
    }

    @Override
    public Map<String, Integer> allGroups() {
        Map<String, Integer> result = new LinkedHashMap<>();
        groups.forEach((group, members) -> {
            int size = members.size();
            if (size > 0) {
                result.put(group, size);
            }
        });
        return result;
    }

    @Override
    public int clientCount() {
        return clients.size();
    }

    @Override
    public int groupCount() {
        return groups.size();
    }

    @Override
    public int clientCountOfGroup(String group) {
        Set<String> members = groups.get(group);
        return members == null ? 0 : members.size();
    }

    @Override
    public int uidCount() {
        return uids.size();
    }

    @Override
    public int uidCountOfGroup(String group) {
        return uidsOfGroup(group).size();
    }

    @Override
    public void setSession(String clientId, Map<String, Object> session) throws UnknownClientException {
        ClientState state = require(clientId);
        synchronized (state) {
            requireLive(state);
            state.session = new LinkedHashMap<>(session);
        }
    }

    @Override
    public void updateSession(String clientId, Map<String, Object> changes) throws UnknownClientException {
        ClientState state = require(clientId);
        synchronized (state) {
            requireLive(state);
            Map<String, Object> merged = new LinkedHashMap<>(state.session);
            merged.putAll(changes);
            state.session = merged;
        }
    }

    @Override
    public Optional<Map<String, Object>> session(String clientId) {
        ClientState state = clients.get(clientId);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return state.removed ? Optional.empty() : Optional.of(new LinkedHashMap<>(state.session));
        }
    }

    @Override
    public Optional<ClientInfo> clientInfo(String clientId) {
        ClientState state = clients.get(clientId);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            if (state.removed) {
                return Optional.empty();
            }
            return Optional.of(new ClientInfo(clientId, state.uid, Set.copyOf(state.groups),
                    new LinkedHashMap<>(state.session), state.connectedAt));
        }
    }

    @Override
    public void close() {
        clients.clear();
        uids.clear();
        groups.clear();
    }

    private ClientState require(String clientId) throws UnknownClientException {
        ClientState state = clients.get(clientId);
        if (state == null) {
            throw new UnknownClientException(clientId);
        }
        return state;
    }

    private static void requireLive(ClientState state) throws UnknownClientException {
        if (state.removed) {
            throw new UnknownClientException(state.clientId);
        }
    }

    private static void indexAdd(ConcurrentHashMap<String, Set<String>> index, String key, String clientId) {
        index.compute(key, (k, members) -> {
            Set<String> set = members == null ? ConcurrentHashMap.newKeySet() : members;
            set.add(clientId);
            return set;
        });
    }

    private static void indexRemove(ConcurrentHashMap<String, Set<String>> index, String key, String clientId) {
        index.computeIfPresent(key, (k, members) -> {
            members.remove(clientId);
            return members.isEmpty() ? null : members;
        });
    }

    private static Set<String> copyOf(Set<String> members) {
        return members == null ? Set.of() : new HashSet<>(members);
    }

    private static Set<String> union(ConcurrentHashMap<String, Set<String>> index, Collection<String> keys) {
        if (keys.size() == 1) {
            return copyOf(index.get(keys.iterator().next()));
        }
        Set<String> result = new HashSet<>();
        for (String key : keys) {
            Set<String> members = index.get(key);
            if (members != null) {
                result.addAll(members);
            }
        }
        return result;
    }
}
