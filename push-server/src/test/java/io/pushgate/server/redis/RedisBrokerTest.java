package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.ServerConfig;
import io.pushgate.server.broker.Broker;
import io.pushgate.server.broker.BrokerContract;
import io.pushgate.server.broker.DeliveryHandler;
import io.pushgate.server.broker.RecordingHandler;
import io.pushgate.server.hub.ClientIdGenerator;
import io.pushgate.server.hub.OutboundFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Broker contract on one Redis node, and what only a cluster has: frames and closes crossing to another node. */
class RedisBrokerTest extends BrokerContract {
    private final String prefix = RedisTestSupport.newPrefix();
    private final List<RedisBackend> backends = new ArrayList<>();
    private final ClientIdGenerator ids = new ClientIdGenerator("p1");
    private RedisBackend self;

    private RedisBackend backend(String node, DeliveryHandler handler) {
        ServerConfig config = ServerConfig.forTesting("secret", RedisTestSupport.clusterNode(node, prefix));
        RedisBackend backend = RedisBackend.start(config, handler, JsonMapper.builder().build(), () -> { });
        backends.add(backend);
        return backend;
    }

    @Override
    protected Broker newBroker(DeliveryHandler handler) {
        RedisTestSupport.assumeRedis();
        self = backend("p1", handler);
        return self.broker();
    }

    @Override
    protected String connectLocal() {
        String id = ids.next();
        self.presence().addClient(id, 1L, null);
        handler.connected.add(id);
        return id;
    }

    @AfterEach
    void cleanUp() {
        backends.forEach(RedisBackend::close);
        if (!backends.isEmpty()) {
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    /** Node p2: a client registered in Redis and connected, one connected but never registered. */
    private record Peer(RedisBackend backend, RecordingHandler handler, String registered, String unregistered) {
    }

    private Peer peer() {
        RecordingHandler handler = new RecordingHandler();
        RedisBackend backend = backend("p2", handler);
        ClientIdGenerator peerIds = new ClientIdGenerator("p2");
        String registered = peerIds.next();
        String unregistered = peerIds.next();
        backend.presence().addClient(registered, 1L, null);
        handler.connected.add(registered);
        handler.connected.add(unregistered);
        return new Peer(backend, handler, registered, unregistered);
    }

    @Test
    void framesForAnotherNodeCrossRedisAndCountItsRegisteredTargets() throws Exception {
        Peer p2 = peer();
        String local = connectLocal();
        int delivered = broker.deliver(List.of(local, p2.registered(), p2.unregistered()), OutboundFrame.text("x"));
        assertEquals(2, delivered, "the local one, and the one registered on p2");
        assertEquals(local + " x", handler.next());
        assertEquals(p2.registered() + " x", p2.handler().next());
        // the receiving node hands every client_id of its share to its handler, which knows only its own
        assertEquals(p2.unregistered() + " x", p2.handler().next());
    }

    @Test
    void aNodeWithNoTargetGetsNothing() throws Exception {
        Peer p2 = peer();
        String local = connectLocal();
        assertEquals(1, broker.deliver(List.of(local, "p2.AAAAAAAAAAAAAAAAAAAAAA"), OutboundFrame.text("y")));
        assertEquals(local + " y", handler.next());
        assertEquals(1, broker.deliver(List.of(p2.registered()), OutboundFrame.text("z")));
        assertEquals(p2.registered() + " z", p2.handler().next(), "p2 got nothing before this frame");
    }

    @Test
    void deliverToAllReachesOtherNodesWithTheExcludeList() throws Exception {
        Peer p2 = peer();
        String local = connectLocal();
        assertEquals(2, broker.deliverToAll(OutboundFrame.text("all"), Set.of()));
        assertEquals(local + " all", handler.next());
        Set<String> got = Set.of(p2.handler().next(), p2.handler().next());
        assertEquals(Set.of(p2.registered() + " all", p2.unregistered() + " all"), got);

        assertEquals(0, broker.deliverToAll(OutboundFrame.text("none"), Set.of(local, p2.registered())));
        // every registered connection of p2 is excluded: nothing is published to it
        assertEquals(1, broker.deliver(List.of(p2.registered()), OutboundFrame.text("mark")));
        assertEquals(p2.registered() + " mark", p2.handler().next(), "p2 got nothing before this frame");
    }

    @Test
    void closeClientOnAnotherNode() throws Exception {
        Peer p2 = peer();
        assertTrue(broker.closeClient(p2.registered(), OutboundFrame.text("bye")));
        assertEquals("close " + p2.registered() + " bye", p2.handler().next());
        assertFalse(broker.closeClient(p2.unregistered(), null), "not registered in the cluster");
        assertFalse(broker.closeClient("no-node-in-this-id", null));
    }
}
