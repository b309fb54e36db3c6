package io.pushgate.server.ws;

import jakarta.websocket.CloseReason.CloseCodes;
import java.nio.ByteBuffer;

/**
 * Follows frame boundaries in the bytes a client sends, so that a bad frame is refused from its header, before
 * anything buffers its payload: a frame over the limit (1009; Tyrus would buffer it and fail with 1011), and an
 * unmasked frame (1002: RFC 6455 section 5.1 requires a server to close on one; Tyrus accepts it).
 *
 * <p>Holds a few bytes of state per connection; not thread-safe (a connection's reads are serialised).
 */
final class InboundFrameGuard {
    private static final int MAX_HEADER = 14;

    /** Why a frame was refused, and how to close for it. */
    enum Refusal {
        TOO_BIG(CloseCodes.TOO_BIG, "frames are limited to " + PushEndpoint.MAX_INBOUND_BYTES + " bytes"),
        UNMASKED(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");

        final CloseCodes code;
        final String reason;

        Refusal(CloseCodes code, String reason) {
            this.code = code;
            this.reason = reason;
        }
    }

    private final int maxPayload;
    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private long payloadLeft;
    private Refusal refusal;

    InboundFrameGuard(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** True once a frame has been refused. */
    boolean refused() {
        return refusal != null;
    }

    /** Why the stream was refused; null while it has not been. */
    Refusal refusal() {
        return refusal;
    }

    /** The largest frame, header included, that {@link #accept} lets through. */
    static int maxFrameBytes(int maxPayload) {
        return maxPayload + MAX_HEADER;
    }

    /**
     * Reads {@code data} without consuming it; false if it carries a frame that is unmasked or whose payload is
     * over the limit (see {@link #refusal}), and for every later call: once a frame is refused, the rest of the
     * stream is not parsed.
     */
    boolean accept(ByteBuffer data) {
        if (refusal != null) {
            return false;
        }
        int pos = data.position();
        int limit = data.limit();
        while (pos < limit) {
            if (payloadLeft > 0) {
                int skip = (int) Math.min(payloadLeft, limit - pos);
                pos += skip;
                payloadLeft -= skip;
                continue;
            }
            header[headerLength++] = data.get(pos++);
            if (headerLength < 2) {
                continue;
            }
            if (headerLength == 2 && (header[1] & 0x80) == 0) {
                refusal = Refusal.UNMASKED;
                return false;
            }
            int length7 = header[1] & 0x7f;
            int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            if (headerLength < 2 + extended + 4) {
                continue;
            }
            long payload = length7;
            if (extended > 0) {
                payload = 0;
                for (int i = 0; i < extended; i++) {
                    payload = (payload << 8) | (header[2 + i] & 0xff);
                }
            }
            if (payload < 0 || payload > maxPayload) {
                refusal = Refusal.TOO_BIG;
                return false;
            }
            payloadLeft = payload;
            headerLength = 0;
        }
        return true;
    }
}
