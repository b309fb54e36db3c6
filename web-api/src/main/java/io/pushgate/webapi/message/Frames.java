package io.pushgate.webapi.message;

/** The frames web-api pushes to pages, as the contract spells them. */
public final class Frames {
    private Frames() {
    }

    /** {@code {"type":"message","message":{…}}}: a new chat message. */
    public record MessageFrame(String type, Message message) {
        public MessageFrame(Message message) {
            this("message", message);
        }
    }

    /** {@code {"type":"read","peer":…,"up_to_id":…}}: {@code peer} has read up to {@code upToId}. */
    public record ReadFrame(String type, long peer, long upToId) {
        public ReadFrame(long peer, long upToId) {
            this("read", peer, upToId);
        }
    }
}
