package io.pushgate.server.ws;

import io.pushgate.server.hub.Connection;
import io.pushgate.server.hub.Hub;
import io.pushgate.server.hub.OutboundFrame;
import io.pushgate.server.presence.Presence;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one WebSocket endpoint, at {@code /}. On open it registers the connection and sends the init frame; after
 * that the channel is push-only: a text {@code {"type":"ping"}} is answered with {@code {"type":"pong"}}, other
 * text is ignored, binary closes with 1003. The 4 KiB limit ({@link #MAX_INBOUND_BYTES}, 1009) is enforced before
 * Tyrus sees a frame: {@link WebSocketFilter}'s {@link InboundFrameGuard} refuses a frame over it from its header
 * (Tyrus would buffer it and fail with 1011); a message sent as several smaller fragments is bounded by the
 * session's message buffer sizes and by {@link #onText}'s check of its UTF-8 length.
 */
public final class PushEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(PushEndpoint.class);
    private static final String CONNECTION = Connection.class.getName();
    private static final String SLOT = ConnectionLimiter.Slot.class.getName();

    /** The largest frame a client may send, in bytes. */
    public static final int MAX_INBOUND_BYTES = 4096;

    private record Init(String type, String clientId) {
    }

    private final Hub hub;
    private final Presence presence;
    private final JsonMapper json;
    private final OutboundFrame pong;

    public PushEndpoint(Hub hub, Presence presence, JsonMapper json) {
        this.hub = hub;
        this.presence = presence;
        this.json = json;
        this.pong = OutboundFrame.text(json.writeValueAsString(Map.of("type", "pong")));
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        HandshakeContext handshake = HandshakeContext.current();
        if (handshake == null) { // only the push-server's own filter may open sessions
            closeQuietly(session, CloseCodes.UNEXPECTED_CONDITION);
            return;
        }
        Connection connection = handshake.connection();
        connection.attach(session);
        session.getUserProperties().put(CONNECTION, connection);
        session.getUserProperties().put(SLOT, handshake.slot());
        session.setMaxTextMessageBufferSize(MAX_INBOUND_BYTES);
        session.setMaxBinaryMessageBufferSize(MAX_INBOUND_BYTES);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> onText(connection, text));
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) bytes ->
                hub.close(connection, CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted"));
        if (!hub.add(connection)) {
            closeQuietly(session, CloseCodes.UNEXPECTED_CONDITION);
            return;
        }
        try {
            presence.addClient(connection.clientId(), connection.connectedAtMillis(), handshake.uid());
        } catch (RuntimeException e) {
            log.warn("could not register client {}: {}", connection.clientId(), e.toString());
            hub.remove(connection);
            hub.close(connection, CloseCodes.TRY_AGAIN_LATER, "presence unavailable");
            return;
        }
        if (!session.isOpen()) { // closed while registering: undo
            forget(connection);
            return;
        }
        hub.sendAndCount(connection, OutboundFrame.text(json.writeValueAsString(new Init("init", connection.clientId()))));
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        Connection connection = (Connection) session.getUserProperties().get(CONNECTION);
        if (connection != null) {
            forget(connection);
            ((ConnectionLimiter.Slot) session.getUserProperties().get(SLOT)).release();
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        log.debug("websocket error on {}: {}", session.getUserProperties().get(CONNECTION), error.toString());
    }

    private void forget(Connection connection) {
        if (hub.remove(connection)) {
            try {
                presence.removeClient(connection.clientId());
            } catch (RuntimeException e) {
                log.error("could not unregister client {}: {}", connection.clientId(), e.toString());
            }
        }
    }

    private void onText(Connection connection, String text) {
        if (text.length() > MAX_INBOUND_BYTES / 3 && utf8Length(text) > MAX_INBOUND_BYTES) {
            hub.close(connection, CloseCodes.TOO_BIG, "frames are limited to " + MAX_INBOUND_BYTES + " bytes");
            return;
        }
        if (text.length() > 64 || text.indexOf("ping") < 0) {
            return; // push-only: nothing else a client says is acted on
        }
        try {
            JsonNode node = json.readTree(text);
            if (node.isObject() && node.size() == 1 && "ping".equals(node.path("type").asString(null))) {
                hub.sendAndCount(connection, pong);
            }
        } catch (JacksonException | NumberFormatException e) {
            // not JSON (or a number past BigDecimal's range, e.g. 1E+2147483648): ignored like any other client text
        }
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    private static void closeQuietly(Session session, CloseCodes code) {
        try {
            session.close(new CloseReason(code, code.name()));
        } catch (Exception e) {
            log.debug("close failed: {}", e.toString());
        }
    }
}
