package io.pushgate.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class InboundFrameGuardTest {

    static byte[] maskedFrame(int payloadLength) {
        int ext = payloadLength < 126 ? 0 : payloadLength <= 0xffff ? 2 : 8;
        ByteBuffer frame = ByteBuffer.allocate(2 + ext + 4 + payloadLength);
        frame.put((byte) 0x81);
        if (ext == 0) {
            frame.put((byte) (0x80 | payloadLength));
        } else if (ext == 2) {
            frame.put((byte) (0x80 | 126)).putShort((short) payloadLength);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payloadLength);
        }
        frame.putInt(0x01020304);
        return frame.array();
    }

    @Test
    void framesUpToTheLimitPassEvenWhenSplitAcrossReads() {
        InboundFrameGuard guard = new InboundFrameGuard(4096);
        byte[] stream = concat(maskedFrame(15), maskedFrame(4096), maskedFrame(125), maskedFrame(126));
        for (int i = 0; i < stream.length; i += 3) { // three bytes at a time: headers split everywhere
            assertTrue(guard.accept(ByteBuffer.wrap(stream, i, Math.min(3, stream.length - i))));
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedFromItsHeader() {
        InboundFrameGuard guard = new InboundFrameGuard(4096);
        assertTrue(guard.accept(ByteBuffer.wrap(maskedFrame(10))));
        byte[] big = maskedFrame(4097);
        assertFalse(guard.accept(ByteBuffer.wrap(big, 0, 8)), "refused before any payload arrives");
        assertFalse(new InboundFrameGuard(4096).accept(ByteBuffer.wrap(maskedFrame(70_000), 0, 14)));
        assertTrue(guard.refused());
        assertFalse(guard.accept(ByteBuffer.wrap(maskedFrame(10))), "nothing after a refused frame is parsed");
    }

    @Test
    void anUnmaskedFrameIsRefusedFromItsSecondByte() {
        InboundFrameGuard guard = new InboundFrameGuard(4096);
        assertTrue(guard.accept(ByteBuffer.wrap(maskedFrame(10))));
        byte[] unmasked = {(byte) 0x81, 0x05, 'h', 'e', 'l', 'l', 'o'};
        assertFalse(guard.accept(ByteBuffer.wrap(unmasked, 0, 2)));
        assertEquals(InboundFrameGuard.Refusal.UNMASKED, guard.refusal());
        assertEquals(1002, guard.refusal().code.getCode());
    }

    @Test
    void aFrameOverTheLimitIsRefusedAsTooBig() {
        InboundFrameGuard guard = new InboundFrameGuard(4096);
        assertFalse(guard.accept(ByteBuffer.wrap(maskedFrame(4097))));
        assertEquals(1009, guard.refusal().code.getCode());
    }

    @Test
    void acceptDoesNotConsumeTheBuffer() {
        ByteBuffer bytes = ByteBuffer.wrap(maskedFrame(5));
        new InboundFrameGuard(4096).accept(bytes);
        assertTrue(bytes.position() == 0 && bytes.remaining() == bytes.capacity());
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer all = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            all.put(p);
        }
        return all.array();
    }
}
