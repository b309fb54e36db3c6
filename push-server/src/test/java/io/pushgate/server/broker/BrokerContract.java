package io.pushgate.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.hub.OutboundFrame;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of {@link Broker} on one node, run against every implementation: whatever the broker, this node's
 * connections are reached through its {@link DeliveryHandler}.
 */
public abstract class BrokerContract {
    protected final RecordingHandler handler = new RecordingHandler();
    protected Broker broker;

    /** A broker for a node whose connections are {@link #handler}'s. */
    protected abstract Broker newBroker(DeliveryHandler handler);

    /** A client_id as this node issues it, registered as connected wherever the broker looks. */
    protected abstract String connectLocal();

    @BeforeEach
    void open() {
        broker = newBroker(handler);
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void deliverReachesConnectedClientsAndCountsThem() throws Exception {
        String a = connectLocal();
        String b = connectLocal();
        String gone = connectLocal();
        handler.connected.remove(gone);
        assertEquals(2, broker.deliver(List.of(a, b, gone), OutboundFrame.text("hi")));
        Set<String> got = new HashSet<>(List.of(handler.next(), handler.next()));
        assertEquals(Set.of(a + " hi", b + " hi"), got);
        assertEquals(0, handler.pending());
    }

    @Test
    void deliverToAllSkipsTheExcluded() throws Exception {
        String a = connectLocal();
        String b = connectLocal();
        assertEquals(1, broker.deliverToAll(OutboundFrame.text("all"), Set.of(b)));
        assertEquals(a + " all", handler.next());
        assertEquals(0, handler.pending());
    }

    @Test
    void closeClientSendsTheLastFrameAndCloses() throws Exception {
        String a = connectLocal();
        assertTrue(broker.closeClient(a, OutboundFrame.text("bye")));
        assertEquals("close " + a + " bye", handler.next());
        assertFalse(broker.closeClient(a, null));
    }
}
