package io.pushgate.server.ws;

import java.nio.ByteBuffer;

/**
 * Follows frame boundaries in the bytes a client sends, so that a frame over the limit is refused (1009) from its
 * header, before anything buffers its payload. Tyrus would otherwise buffer it and fail with 1011.
 *
 * <p>Holds a few bytes of state per connection; not thread-safe (a connection's reads are serialised).
 */
final class InboundFrameGuard {
    private static final int MAX_HEADER = 14;

    private final int maxPayload;
    private final byte[] header = new byte[MAX_HEADER];
    private int headerLength;
    private long payloadLeft;
    private boolean refused;

    InboundFrameGuard(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /** True once a frame has been refused. */
    boolean refused() {
        return refused;
    }

    /** The largest frame, header included, that {@link #accept} lets through. */
    static int maxFrameBytes(int maxPayload) {
        return maxPayload + MAX_HEADER;
    }

    /**
     * Reads {@code data} without consuming it; false if it carries a frame whose payload is over the limit, and
     * for every later call: once a frame is refused, the rest of the stream is not parsed.
     */
    boolean accept(ByteBuffer data) {
        if (refused) {
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
            int length7 = header[1] & 0x7f;
            int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
            int masked = (header[1] & 0x80) != 0 ? 4 : 0;
            if (headerLength < 2 + extended + masked) {
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
                refused = true;
                return false;
            }
            payloadLeft = payload;
            headerLength = 0;
        }
        return true;
    }
}
