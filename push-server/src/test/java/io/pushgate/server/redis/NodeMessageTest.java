package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pushgate.server.hub.OutboundFrame;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeMessageTest {

    @Test
    void deliverRoundTripsIdsAndTheEncodedFrame() {
        byte[] frame = OutboundFrame.text("{\"m\":\"héllo\"}").bytes();
        NodeMessage decoded = NodeMessage.decode(
                NodeMessage.of(NodeMessage.Kind.DELIVER, List.of("n1.a", "n1.b"), frame).encode());
        assertEquals(NodeMessage.Kind.DELIVER, decoded.kind());
        assertEquals(List.of("n1.a", "n1.b"), decoded.clientIds());
        assertArrayEquals(frame, decoded.frame());
    }

    @Test
    void closeWithoutALastFrameHasNoFrame() {
        NodeMessage decoded = NodeMessage.decode(NodeMessage.of(NodeMessage.Kind.CLOSE, List.of("n2.x"), null).encode());
        assertEquals(NodeMessage.Kind.CLOSE, decoded.kind());
        assertNull(decoded.frame());
    }

    @Test
    void truncatedOrForeignBytesAreRejected() {
        byte[] whole = NodeMessage.of(NodeMessage.Kind.DELIVER_ALL, List.of(), new byte[] {1, 2, 3}).encode();
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(Arrays.copyOf(whole, whole.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(new byte[] {9, 0, 0, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> NodeMessage.decode(new byte[0]));
    }
}
