package io.pushgate.server.presence;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is connected, to which uid each connection is bound, which groups it is in, and its session: the state
 * that every node of a cluster must agree on.
 *
 * <p>Guarantees, for every implementation:
 * <ul>
 *   <li>A client_id is known from {@link #addClient} until {@link #removeClient}; after that it is in no uid, no
 *       group and has no session, even when a bind or join raced with the removal.</li>
 *   <li>A client is bound to at most one uid: binding again moves it.</li>
 *   <li>A uid or group with no client left does not exist: it is in no listing and counts nowhere.</li>
 *   <li>Calls for a client_id that is not known change nothing; those that require one report
 *       {@link UnknownClientException}.</li>
 * </ul>
 * Implementations: {@link MemoryPresence} for a single node, {@code io.pushgate.server.redis.RedisPresence} for a
 * cluster.
 */
public interface Presence extends AutoCloseable {
    /** The longest uid, group or session id the push-server accepts, from the admin API or a connect token. */
    int MAX_ID_LENGTH = 256;

    /** Registers a connected client, bound to {@code uid} at once when it is not null. */
    void addClient(String clientId, long connectedAtMillis, String uid);

    /** Forgets a client: it leaves its uid, all its groups, and its session is dropped. */
    void removeClient(String clientId);

    boolean isOnline(String clientId);

    /** Binds the client to {@code uid}, moving it off any uid it had. */
    void bindUid(String clientId, String uid) throws UnknownClientException;

    /** Unbinds the client if it is bound to {@code uid}. */
    void unbindUid(String clientId, String uid);

    void joinGroup(String clientId, String group) throws UnknownClientException;

    void leaveGroup(String clientId, String group);

    /** Dissolves a group: every member leaves it. */
    void ungroup(String group);

    Optional<String> uidOf(String clientId);

    Set<String> clientIdsOfUid(String uid);

    /** The client_ids of every given uid, each once. */
    Set<String> clientIdsOfUids(Collection<String> uids);

    Set<String> clientIdsOfGroup(String group);

    /** The client_ids in any of the given groups, each once. */
    Set<String> clientIdsOfGroups(Collection<String> groups);

    /** The uids bound to at least one member of the group. */
    Set<String> uidsOfGroup(String group);

    boolean isUidOnline(String uid);

    Set<String> allUids();

    /** Every group with its number of member connections. */
    Map<String, Integer> allGroups();

    int clientCount();

    int groupCount();

    int clientCountOfGroup(String group);

    int uidCount();

    int uidCountOfGroup(String group);

    /** The number of push-server nodes sharing this state: 1 for a single node. */
    default int nodeCount() {
        return 1;
    }

    /** Replaces the client's session. */
    void setSession(String clientId, Map<String, Object> session) throws UnknownClientException;

    /** Merges {@code changes} into the client's session, key by key. */
    void updateSession(String clientId, Map<String, Object> changes) throws UnknownClientException;

    /** The client's session; empty when the client is not connected. */
    Optional<Map<String, Object>> session(String clientId);

    Optional<ClientInfo> clientInfo(String clientId);

    @Override
    void close();
}
