package io.pushgate.server.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutboundFrameTest {

    @Test
    void shortPayloadHasATwoByteHeader() {
        OutboundFrame frame = OutboundFrame.text("hé");
        assertArrayEquals(new byte[] {(byte) 0x81, 3, 'h', (byte) 0xc3, (byte) 0xa9}, frame.bytes());
        assertEquals(3, frame.payloadLength());
    }

    @Test
    void mediumAndLargePayloadsUseExtendedLengths() {
        OutboundFrame medium = OutboundFrame.text("m".repeat(126));
        assertEquals(126, medium.bytes()[1]);
        assertEquals(126, ByteBuffer.wrap(medium.bytes(), 2, 2).getShort());
        assertEquals(4 + 126, medium.length());

        OutboundFrame large = OutboundFrame.text("L".repeat(70_000));
        assertEquals(127, large.bytes()[1]);
        assertEquals(70_000L, ByteBuffer.wrap(large.bytes(), 2, 8).getLong());
        assertEquals("L".repeat(70_000),
                new String(Arrays.copyOfRange(large.bytes(), 10, large.length()), StandardCharsets.UTF_8));
    }
}
