package io.pushgate.server.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one node asks of another over its pub/sub channel: deliver an encoded frame to some of its connections, to
 * all of them but some, or close one. Binary, because the frame is already encoded for the wire and is passed on
 * as it is: {@code kind (1 byte), count (int), count client_ids (modified UTF-8), frame length (int, -1 for none),
 * frame bytes}.
 *
 * @param kind      what to do
 * @param clientIds the targets ({@link Kind#DELIVER}, {@link Kind#CLOSE}) or the excluded ({@link Kind#DELIVER_ALL})
 * @param frame     the encoded WebSocket frame; null for a {@link Kind#CLOSE} without a last frame
 */
record NodeMessage(Kind kind, List<String> clientIds, byte[] frame) {

    enum Kind { DELIVER, DELIVER_ALL, CLOSE }

    static NodeMessage of(Kind kind, Collection<String> clientIds, byte[] frame) {
        return new NodeMessage(kind, List.copyOf(clientIds), frame);
    }

    byte[] encode() {
        int size = 9 + (frame == null ? 0 : frame.length);
        for (String id : clientIds) {
            size += 2 + id.length();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeInt(clientIds.size());
            for (String id : clientIds) {
                out.writeUTF(id);
            }
            out.writeInt(frame == null ? -1 : frame.length);
            if (frame != null) {
                out.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // never: in memory
        }
        return bytes.toByteArray();
    }

    /** Decodes a message; throws {@link IllegalArgumentException} for bytes that are not one. */
    static NodeMessage decode(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            int kind = in.readUnsignedByte();
            if (kind >= Kind.values().length) {
                throw new IllegalArgumentException("unknown message kind " + kind);
            }
            int count = in.readInt();
            if (count < 0 || count > message.length) {
                throw new IllegalArgumentException("bad client_id count " + count);
            }
            List<String> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(in.readUTF());
            }
            int length = in.readInt();
            byte[] frame = length < 0 ? null : in.readNBytes(length);
            if (frame != null && frame.length != length) {
                throw new IllegalArgumentException("truncated frame");
            }
            return new NodeMessage(Kind.values()[kind], ids, frame);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed node message", e);
        }
    }
}
