package io.pushgate.server.hub;

import java.nio.charset.StandardCharsets;

/**
 * A WebSocket text frame encoded once, ready to be written as it is to any number of connections.
 *
 * <p>Fan-out is the push-server's hot path: a frame for 10,000 connections is built once here and its bytes are
 * shared by every write, so a delivery costs a socket write and nothing else. Server frames are never masked
 * (RFC 6455, 5.1), which is what makes one encoding valid for every connection.
 */
public final class OutboundFrame {
    private static final byte FIN_TEXT = (byte) 0x81;
    private static final byte FIN_PING = (byte) 0x89;

    /** A ping control frame with an empty payload. */
    public static final OutboundFrame PING = new OutboundFrame(new byte[] {FIN_PING, 0}, 0);

    private final byte[] bytes;
    private final int payloadLength;

    private OutboundFrame(byte[] bytes, int payloadLength) {
        this.bytes = bytes;
        this.payloadLength = payloadLength;
    }

    /** Encodes {@code text} as one unfragmented, unmasked text frame. */
    public static OutboundFrame text(String text) {
        return ofPayload(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Wraps an already encoded frame, such as one received from another node. */
    public static OutboundFrame ofEncoded(byte[] encoded) {
        return new OutboundFrame(encoded, -1);
    }

    private static OutboundFrame ofPayload(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = FIN_TEXT;
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (len >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return new OutboundFrame(frame, n);
    }

    /** The encoded frame, header included. Shared: callers must not modify it. */
    public byte[] bytes() {
        return bytes;
    }

    /** Size on the wire. */
    public int length() {
        return bytes.length;
    }

    /** The payload size, or -1 when this frame was built from encoded bytes. */
    public int payloadLength() {
        return payloadLength;
    }
}
