package io.pushgate.server.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.pushgate.server.BackendUnavailableException;
import io.pushgate.server.broker.Broker;
import io.pushgate.server.broker.DeliveryHandler;
import io.pushgate.server.hub.ClientIdGenerator;
import io.pushgate.server.hub.OutboundFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster broker: frames for this node's connections go straight to its {@link DeliveryHandler}; frames for
 * other nodes cross Redis pub/sub, one channel per node ({@code <prefix>node:<node id>}), so a node gets only the
 * frames with a recipient on it. The node of a client_id is read from the client_id itself
 * ({@link ClientIdGenerator#nodeOf}); {@link #deliverToAll} reaches every node that holds a connection.
 *
 * <p>Each remote share is one Lua script that counts the targets registered on that node and publishes only if
 * there are any and the node is subscribed, in one round trip per node, all nodes in parallel.
 *
 * <p><b>What {@code delivered} counts</b>: the connections on this node that took the frame, plus, for each other
 * node that received the message, the targets registered on it in Redis at the moment of publishing. A remote
 * connection that closes or falls too far behind before the frame reaches it is still counted; a node that died
 * without cleanup is counted only until its subscription is gone (at once when its Redis connection drops).
 *
 * <p>If Redis fails during a call, {@link BackendUnavailableException} is thrown (503); this node's share may
 * have been delivered already, other nodes' shares may or may not have been.
 */
final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final LuaScript PUBLISH_TO_NODE = LuaScript.load("publish_to_node");
    private static final LuaScript PUBLISH_TO_ALL = LuaScript.load("publish_to_all");

    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final DeliveryHandler handler;
    private final String nodeId;
    private final byte[] prefix;
    private final byte[] node;
    private final long timeoutMillis;

    RedisBroker(RedisAsyncCommands<byte[], byte[]> redis, DeliveryHandler handler, String prefix, String nodeId,
                long timeoutMillis) {
        this.redis = redis;
        this.handler = handler;
        this.nodeId = nodeId;
        this.prefix = bytes(prefix);
        this.node = bytes(nodeId);
        this.timeoutMillis = timeoutMillis;
    }

    /** The channel on which node {@code nodeId} receives its messages. */
    static String channelOf(String prefix, String nodeId) {
        return prefix + "node:" + nodeId;
    }

    @Override
    public int deliver(Collection<String> clientIds, OutboundFrame frame) {
        Map<String, List<String>> byNode = new HashMap<>();
        for (String clientId : clientIds) {
            String owner = ClientIdGenerator.nodeOf(clientId);
            if (owner != null) {
                byNode.computeIfAbsent(owner, n -> new ArrayList<>()).add(clientId);
            }
        }
        List<String> local = byNode.remove(nodeId);
        List<CompletionStage<Long>> remote = new ArrayList<>(byNode.size());
        byNode.forEach((owner, ids) -> remote.add(publishToNode(owner, NodeMessage.Kind.DELIVER, ids,
                frame.bytes())));
        int delivered = local == null ? 0 : handler.deliverLocal(local, frame);
        return delivered + awaitAll(remote);
    }

    @Override
    public int deliverToAll(OutboundFrame frame, Set<String> excludeClientIds) {
        byte[] message = NodeMessage.of(NodeMessage.Kind.DELIVER_ALL, excludeClientIds, frame.bytes()).encode();
        byte[][] args = new byte[3 + excludeClientIds.size()][];
        args[0] = prefix;
        args[1] = node;
        args[2] = message;
        int i = 3;
        for (String id : excludeClientIds) {
            args[i++] = bytes(id);
        }
        CompletionStage<Long> remote = PUBLISH_TO_ALL.run(redis, ScriptOutputType.INTEGER, args);
        int delivered = handler.deliverLocalToAll(frame, excludeClientIds);
        return delivered + awaitAll(List.of(remote));
    }

    @Override
    public boolean closeClient(String clientId, OutboundFrame lastFrame) {
        String owner = ClientIdGenerator.nodeOf(clientId);
        if (owner == null) {
            return false;
        }
        if (owner.equals(nodeId)) {
            return handler.closeLocal(clientId, lastFrame);
        }
        byte[] frame = lastFrame == null ? null : lastFrame.bytes();
        return awaitAll(List.of(publishToNode(owner, NodeMessage.Kind.CLOSE, List.of(clientId), frame))) > 0;
    }

    /** Handles a message from this node's channel. */
    void onMessage(byte[] message) {
        NodeMessage m;
        try {
            m = NodeMessage.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a malformed message on this node's channel: {}", e.getMessage());
            return;
        }
        switch (m.kind()) {
            case DELIVER -> handler.deliverLocal(m.clientIds(), OutboundFrame.ofEncoded(m.frame()));
            case DELIVER_ALL -> handler.deliverLocalToAll(OutboundFrame.ofEncoded(m.frame()), Set.copyOf(m.clientIds()));
            case CLOSE -> handler.closeLocal(m.clientIds().get(0),
                    m.frame() == null ? null : OutboundFrame.ofEncoded(m.frame()));
        }
    }

    /** Nothing to release: the connections belong to {@link RedisBackend}. */
    @Override
    public void close() {
    }

    private CompletionStage<Long> publishToNode(String owner, NodeMessage.Kind kind, List<String> ids, byte[] frame) {
        byte[][] args = new byte[3 + ids.size()][];
        args[0] = prefix;
        args[1] = bytes(owner);
        args[2] = NodeMessage.of(kind, ids, frame).encode();
        for (int i = 0; i < ids.size(); i++) {
            args[3 + i] = bytes(ids.get(i));
        }
        return PUBLISH_TO_NODE.run(redis, ScriptOutputType.INTEGER, args);
    }

    private int awaitAll(List<CompletionStage<Long>> replies) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long total = 0;
        for (CompletionStage<Long> reply : replies) {
            try {
                total += reply.toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                throw RedisBackend.unavailable(cause instanceof RuntimeException r ? r : new RedisException(cause));
            } catch (TimeoutException e) {
                throw RedisBackend.unavailable(new RedisException("no reply within " + timeoutMillis + " ms"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw RedisBackend.unavailable(new RedisException("interrupted"));
            }
        }
        return (int) total;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
