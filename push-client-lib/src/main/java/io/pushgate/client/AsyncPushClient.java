package io.pushgate.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operations of {@link PushClient}, each returning a {@code CompletableFuture} at once. Calls are queued on
 * OkHttp's dispatcher, so no thread waits per call; get one from {@link PushClient#async()}.
 *
 * <pre>{@code
 * push.async().sendToUid("42", frame)
 *     .thenAccept(delivered -> log.debug("handed to {} connections", delivered))
 *     .exceptionally(e -> { log.warn("push failed", e); return null; });
 * }</pre>
 *
 * <p>A future fails with the {@link PushException} its blocking twin would throw (wrapped in a
 * {@code CompletionException} by {@code join()}). Futures complete on OkHttp's dispatcher threads: chain quick work
 * there, and move blocking work elsewhere with the {@code ...Async} variants of {@code CompletableFuture}.
 *
 * <h2>Coalescing</h2>
 * At most {@link PushClient.Builder#maxAsyncRequests maxAsyncRequests} HTTP requests are in flight at once. Calls
 * made while that many are out wait, then leave together, up to 100 in one {@code POST /v1/batch}: a lone call goes
 * out at once on its own, and under load the per-request cost is shared by many calls. Every call still gets its
 * own result or error, and none outlives the client's timeout (a call that waited too long fails with
 * {@link UnavailableException} {@code timeout} without being sent). Calls of one request run in the order they
 * were made; calls in different requests may run in any order. Bound what you have in flight: the queue is not. A
 * request is sent again to another admin URL after a failed attempt only if every call in it is safe to repeat
 * (see {@link PushClient}'s "Several push-servers").
 *
 * <p>Null arguments throw {@code NullPointerException} at once rather than failing the future.
 */
public final class AsyncPushClient {
    private final CallCoalescer sender;
    private final Operations ops;

    AsyncPushClient(CallCoalescer sender, Operations ops) {
        this.sender = sender;
        this.ops = ops;
    }

    // ---- binding and groups

    /**
     * Binds a connection to a uid, so {@link #sendToUid} reaches it. A uid may have many connections (tabs,
     * devices); a connection has at most one uid, and binding it again replaces it.
     */
    public CompletableFuture<Void> bindUid(String clientId, String uid) {
        return call(ops.bindUid(clientId, uid));
    }

    /** Removes a connection's binding to {@code uid}; nothing happens if it is bound to another uid or none. */
    public CompletableFuture<Void> unbindUid(String clientId, String uid) {
        return call(ops.unbindUid(clientId, uid));
    }

    /**
     * Adds a connection to a group. A connection leaves its groups when it closes.
     */
    public CompletableFuture<Void> joinGroup(String clientId, String group) {
        return call(ops.joinGroup(clientId, group));
    }

    /** Removes a connection from a group. */
    public CompletableFuture<Void> leaveGroup(String clientId, String group) {
        return call(ops.leaveGroup(clientId, group));
    }

    /** Dissolves a group: every member leaves it; the connections stay open. */
    public CompletableFuture<Void> ungroup(String group) {
        return call(ops.ungroup(group));
    }

    // ---- sending

    /**
     * Sends a frame to one connection.
     *
     * @param data a String sent as it is, or an object serialised to JSON
     * @return the number of connections the frame was handed to: 1, or 0 if it is gone
     */
    public CompletableFuture<Integer> sendToClient(String clientId, Object data) {
        return call(ops.sendToClient(clientId, data));
    }

    /**
     * Sends a frame to several connections.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToClient(Collection<String> clientIds, Object data) {
        return call(ops.sendToClients(clientIds, data));
    }

    /**
     * Sends a frame to every connection of a uid.
     *
     * @param data a String sent as it is, or an object serialised to JSON
     * @return the number of connections the frame was handed to; 0 if the uid is offline
     */
    public CompletableFuture<Integer> sendToUid(String uid, Object data) {
        return call(ops.sendToUid(uid, data, null));
    }

    /**
     * Sends a frame to every connection of a uid except {@code excludeClientIds} (typically the sender's own tab).
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToUid(String uid, Object data, Collection<String> excludeClientIds) {
        return call(ops.sendToUid(uid, data, excludeClientIds));
    }

    /**
     * Sends a frame to every connection of several uids; a connection gets it once.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToUid(Collection<String> uids, Object data) {
        return call(ops.sendToUids(uids, data, null));
    }

    /**
     * Sends a frame to every connection of several uids except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToUid(Collection<String> uids, Object data,
            Collection<String> excludeClientIds) {
        return call(ops.sendToUids(uids, data, excludeClientIds));
    }

    /**
     * Sends a frame to every member of a group.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToGroup(String group, Object data) {
        return call(ops.sendToGroup(group, data, null));
    }

    /**
     * Sends a frame to every member of a group except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToGroup(String group, Object data, Collection<String> excludeClientIds) {
        return call(ops.sendToGroup(group, data, excludeClientIds));
    }

    /**
     * Sends a frame to every member of several groups; a connection gets it once.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToGroup(Collection<String> groups, Object data) {
        return call(ops.sendToGroups(groups, data, null));
    }

    /**
     * Sends a frame to every member of several groups except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToGroup(Collection<String> groups, Object data,
            Collection<String> excludeClientIds) {
        return call(ops.sendToGroups(groups, data, excludeClientIds));
    }

    /**
     * Sends a frame to every open connection.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToAll(Object data) {
        return call(ops.sendToAll(data, null));
    }

    /**
     * Sends a frame to every open connection except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public CompletableFuture<Integer> sendToAll(Object data, Collection<String> excludeClientIds) {
        return call(ops.sendToAll(data, excludeClientIds));
    }

    /**
     * Closes a connection.
     *
     * @return true if it was open
     */
    public CompletableFuture<Boolean> closeClient(String clientId) {
        return call(ops.closeClient(clientId, null));
    }

    /**
     * Sends a last frame to a connection, then closes it.
     *
     * @return true if it was open
     */
    public CompletableFuture<Boolean> closeClient(String clientId, Object data) {
        return call(ops.closeClient(clientId, Objects.requireNonNull(data, "data == null")));
    }

    // ---- presence

    /** True if the connection is open. */
    public CompletableFuture<Boolean> isOnline(String clientId) {
        return call(ops.isOnline(clientId));
    }

    /** True if the uid has at least one open connection. */
    public CompletableFuture<Boolean> isUidOnline(String uid) {
        return call(ops.isUidOnline(uid));
    }

    /** The open connections bound to a uid; empty when it is offline. */
    public CompletableFuture<List<String>> getClientIdsByUid(String uid) {
        return call(ops.getClientIdsByUid(uid));
    }

    /** The uid a connection is bound to; empty when it is unbound or gone. */
    public CompletableFuture<Optional<String>> getUidByClientId(String clientId) {
        return call(ops.getUidByClientId(clientId));
    }

    /** The connections in a group. */
    public CompletableFuture<List<String>> getClientIdsByGroup(String group) {
        return call(ops.getClientIdsByGroup(group));
    }

    /** The uids with at least one connection in a group. */
    public CompletableFuture<List<String>> getUidsByGroup(String group) {
        return call(ops.getUidsByGroup(group));
    }

    /** Every online uid. */
    public CompletableFuture<List<String>> getAllUids() {
        return call(ops.getAllUids());
    }

    /** Every group with members, and how many connections each has. */
    public CompletableFuture<Map<String, Integer>> getAllGroups() {
        return call(ops.getAllGroups());
    }

    /** The number of open connections. */
    public CompletableFuture<Integer> getClientCount() {
        return call(ops.getClientCount(null));
    }

    /** The number of connections in a group. */
    public CompletableFuture<Integer> getClientCount(String group) {
        return call(ops.getClientCount(Objects.requireNonNull(group, "group == null")));
    }

    /** The number of online uids. */
    public CompletableFuture<Integer> getUidCount() {
        return call(ops.getUidCount(null));
    }

    /** The number of uids with at least one connection in a group. */
    public CompletableFuture<Integer> getUidCount(String group) {
        return call(ops.getUidCount(Objects.requireNonNull(group, "group == null")));
    }

    // ---- sessions

    /**
     * Replaces a connection's session: a small map kept with the connection until it closes.
     */
    public CompletableFuture<Void> setSession(String clientId, Map<String, ?> session) {
        return call(ops.setSession(clientId, session));
    }

    /**
     * Merges entries into a connection's session.
     */
    public CompletableFuture<Void> updateSession(String clientId, Map<String, ?> session) {
        return call(ops.updateSession(clientId, session));
    }

    /** A connection's session (an empty map until one is set); an empty Optional when the connection is gone. */
    public CompletableFuture<Optional<Map<String, Object>>> getSession(String clientId) {
        return call(ops.getSession(clientId));
    }

    /** Everything known about a connection; {@link ClientInfo#online()} is false when it is gone. */
    public CompletableFuture<ClientInfo> getClientInfo(String clientId) {
        return call(ops.getClientInfo(clientId));
    }

    /** The server's counters. */
    public CompletableFuture<Stats> stats() {
        return call(ops.stats());
    }

    private <T> CompletableFuture<T> call(Operation<T> op) {
        return sender.submit(op);
    }
}
