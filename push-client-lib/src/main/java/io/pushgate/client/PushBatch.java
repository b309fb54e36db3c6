package io.pushgate.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * Operations gathered and sent to the push-server in one request ({@code POST /v1/batch}), which runs them in
 * order. Each operation returns a {@link BatchResult} that holds its own result or error once the batch has run:
 *
 * <pre>{@code
 * PushBatch batch = push.batch();
 * batch.bindUid(clientId, "42");
 * batch.joinGroup(clientId, "room-7");
 * BatchResult<Integer> sent = batch.sendToGroup("room-7", "{\"type\":\"joined\"}");
 * batch.execute();
 * int delivered = sent.get();   // throws this operation's PushException if it failed
 * }</pre>
 *
 * <p>A batch is sent again to another admin URL after a failed attempt (see {@link PushClient}'s "Several
 * push-servers") only if every operation in it is safe to repeat: reads and sends.
 *
 * <p>One failing operation does not stop the others. A batch is run once; it is not thread-safe (build it on one
 * thread, then run it). {@link #execute()} throws only when the request as a whole fails (unauthorized,
 * unavailable); the operations' own errors stay in their results.
 */
public final class PushBatch {
    private final AdminTransport transport;
    private final Operations ops;
    private final List<Operation<?>> operations = new ArrayList<>();
    private final List<BatchResult<?>> results = new ArrayList<>();
    private boolean executed;

    PushBatch(AdminTransport transport, Operations ops) {
        this.transport = transport;
        this.ops = ops;
    }

    /** The number of operations gathered so far. */
    public int size() {
        return operations.size();
    }

    // ---- binding and groups

    /**
     * Binds a connection to a uid, so {@link #sendToUid} reaches it. A uid may have many connections (tabs,
     * devices); a connection has at most one uid, and binding it again replaces it.
     */
    public BatchResult<Void> bindUid(String clientId, String uid) {
        return add(ops.bindUid(clientId, uid));
    }

    /** Removes a connection's binding to {@code uid}; nothing happens if it is bound to another uid or none. */
    public BatchResult<Void> unbindUid(String clientId, String uid) {
        return add(ops.unbindUid(clientId, uid));
    }

    /**
     * Adds a connection to a group. A connection leaves its groups when it closes.
     */
    public BatchResult<Void> joinGroup(String clientId, String group) {
        return add(ops.joinGroup(clientId, group));
    }

    /** Removes a connection from a group. */
    public BatchResult<Void> leaveGroup(String clientId, String group) {
        return add(ops.leaveGroup(clientId, group));
    }

    /** Dissolves a group: every member leaves it; the connections stay open. */
    public BatchResult<Void> ungroup(String group) {
        return add(ops.ungroup(group));
    }

    // ---- sending

    /**
     * Sends a frame to one connection.
     *
     * @param data a String sent as it is, or an object serialised to JSON
     * @return the number of connections the frame was handed to: 1, or 0 if it is gone
     */
    public BatchResult<Integer> sendToClient(String clientId, Object data) {
        return add(ops.sendToClient(clientId, data));
    }

    /**
     * Sends a frame to several connections.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToClient(Collection<String> clientIds, Object data) {
        return add(ops.sendToClients(clientIds, data));
    }

    /**
     * Sends a frame to every connection of a uid.
     *
     * @param data a String sent as it is, or an object serialised to JSON
     * @return the number of connections the frame was handed to; 0 if the uid is offline
     */
    public BatchResult<Integer> sendToUid(String uid, Object data) {
        return add(ops.sendToUid(uid, data, null));
    }

    /**
     * Sends a frame to every connection of a uid except {@code excludeClientIds} (typically the sender's own tab).
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToUid(String uid, Object data, Collection<String> excludeClientIds) {
        return add(ops.sendToUid(uid, data, excludeClientIds));
    }

    /**
     * Sends a frame to every connection of several uids; a connection gets it once.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToUid(Collection<String> uids, Object data) {
        return add(ops.sendToUids(uids, data, null));
    }

    /**
     * Sends a frame to every connection of several uids except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToUid(Collection<String> uids, Object data,
            Collection<String> excludeClientIds) {
        return add(ops.sendToUids(uids, data, excludeClientIds));
    }

    /**
     * Sends a frame to every member of a group.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToGroup(String group, Object data) {
        return add(ops.sendToGroup(group, data, null));
    }

    /**
     * Sends a frame to every member of a group except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToGroup(String group, Object data, Collection<String> excludeClientIds) {
        return add(ops.sendToGroup(group, data, excludeClientIds));
    }

    /**
     * Sends a frame to every member of several groups; a connection gets it once.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToGroup(Collection<String> groups, Object data) {
        return add(ops.sendToGroups(groups, data, null));
    }

    /**
     * Sends a frame to every member of several groups except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToGroup(Collection<String> groups, Object data,
            Collection<String> excludeClientIds) {
        return add(ops.sendToGroups(groups, data, excludeClientIds));
    }

    /**
     * Sends a frame to every open connection.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToAll(Object data) {
        return add(ops.sendToAll(data, null));
    }

    /**
     * Sends a frame to every open connection except {@code excludeClientIds}.
     *
     * @return the number of connections the frame was handed to
     */
    public BatchResult<Integer> sendToAll(Object data, Collection<String> excludeClientIds) {
        return add(ops.sendToAll(data, excludeClientIds));
    }

    /**
     * Closes a connection.
     *
     * @return true if it was open
     */
    public BatchResult<Boolean> closeClient(String clientId) {
        return add(ops.closeClient(clientId, null));
    }

    /**
     * Sends a last frame to a connection, then closes it.
     *
     * @return true if it was open
     */
    public BatchResult<Boolean> closeClient(String clientId, Object data) {
        return add(ops.closeClient(clientId, Objects.requireNonNull(data, "data == null")));
    }

    // ---- presence

    /** True if the connection is open. */
    public BatchResult<Boolean> isOnline(String clientId) {
        return add(ops.isOnline(clientId));
    }

    /** True if the uid has at least one open connection. */
    public BatchResult<Boolean> isUidOnline(String uid) {
        return add(ops.isUidOnline(uid));
    }

    /** The open connections bound to a uid; empty when it is offline. */
    public BatchResult<List<String>> getClientIdsByUid(String uid) {
        return add(ops.getClientIdsByUid(uid));
    }

    /** The uid a connection is bound to; empty when it is unbound or gone. */
    public BatchResult<Optional<String>> getUidByClientId(String clientId) {
        return add(ops.getUidByClientId(clientId));
    }

    /** The connections in a group. */
    public BatchResult<List<String>> getClientIdsByGroup(String group) {
        return add(ops.getClientIdsByGroup(group));
    }

    /** The uids with at least one connection in a group. */
    public BatchResult<List<String>> getUidsByGroup(String group) {
        return add(ops.getUidsByGroup(group));
    }

    /** Every online uid. */
    public BatchResult<List<String>> getAllUids() {
        return add(ops.getAllUids());
    }

    /** Every group with members, and how many connections each has. */
    public BatchResult<Map<String, Integer>> getAllGroups() {
        return add(ops.getAllGroups());
    }

    /** The number of open connections. */
    public BatchResult<Integer> getClientCount() {
        return add(ops.getClientCount(null));
    }

    /** The number of connections in a group. */
    public BatchResult<Integer> getClientCount(String group) {
        return add(ops.getClientCount(Objects.requireNonNull(group, "group == null")));
    }

    /** The number of online uids. */
    public BatchResult<Integer> getUidCount() {
        return add(ops.getUidCount(null));
    }

    /** The number of uids with at least one connection in a group. */
    public BatchResult<Integer> getUidCount(String group) {
        return add(ops.getUidCount(Objects.requireNonNull(group, "group == null")));
    }

    // ---- sessions

    /**
     * Replaces a connection's session: a small map kept with the connection until it closes.
     */
    public BatchResult<Void> setSession(String clientId, Map<String, ?> session) {
        return add(ops.setSession(clientId, session));
    }

    /**
     * Merges entries into a connection's session.
     */
    public BatchResult<Void> updateSession(String clientId, Map<String, ?> session) {
        return add(ops.updateSession(clientId, session));
    }

    /** A connection's session (an empty map until one is set); an empty Optional when the connection is gone. */
    public BatchResult<Optional<Map<String, Object>>> getSession(String clientId) {
        return add(ops.getSession(clientId));
    }

    /** Everything known about a connection; {@link ClientInfo#online()} is false when it is gone. */
    public BatchResult<ClientInfo> getClientInfo(String clientId) {
        return add(ops.getClientInfo(clientId));
    }

    /** The server's counters. */
    public BatchResult<Stats> stats() {
        return add(ops.stats());
    }

    /**
     * Sends every operation in one request and fills their results; returns them in the order they were added.
     * An empty batch sends nothing.
     *
     * @throws IllegalStateException if this batch was already run
     * @throws PushException if the request as a whole failed; then no result is filled
     */
    public List<BatchResult<?>> execute() {
        byte[] body = start();
        if (body == null) {
            return List.of();
        }
        return complete(transport.execute("batch", body, Operation.allRetrySafe(operations)));
    }

    /**
     * As {@link #execute()}, without waiting: the future completes with the results, or fails with the
     * request's {@link PushException}.
     *
     * @throws IllegalStateException if this batch was already run
     */
    public CompletableFuture<List<BatchResult<?>>> executeAsync() {
        byte[] body = start();
        if (body == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        return transport.enqueue("batch", body, Operation.allRetrySafe(operations)).thenApply(this::complete);
    }

    private <T> BatchResult<T> add(Operation<T> op) {
        if (executed) {
            throw new IllegalStateException("this batch was already run");
        }
        BatchResult<T> result = new BatchResult<>(op);
        operations.add(op);
        results.add(result);
        return result;
    }

    /** Marks the batch run and returns its body, or null when it is empty. */
    private byte[] start() {
        if (executed) {
            throw new IllegalStateException("this batch was already run");
        }
        executed = true;
        if (operations.isEmpty()) {
            return null;
        }
        return transport.batchBody(operations);
    }

    private List<BatchResult<?>> complete(JsonNode response) {
        JsonNode answers = AdminTransport.batchAnswers(response, results.size());
        for (int i = 0; i < results.size(); i++) {
            results.get(i).complete(answers.get(i));
        }
        return List.copyOf(results);
    }
}
