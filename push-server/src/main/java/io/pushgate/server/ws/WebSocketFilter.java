package io.pushgate.server.ws;

import io.pushgate.server.ErrorBody;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.hub.ClientIdGenerator;
import io.pushgate.server.hub.Connection;
import io.pushgate.server.hub.Hub;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.CloseListener;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.ICloseType;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.attributes.AttributeHolder;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.TransportFilter;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOConnection;
import org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter;
import org.glassfish.tyrus.core.CloseReasons;
import org.glassfish.tyrus.core.RequestContext;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.glassfish.tyrus.core.Utils;
import org.glassfish.tyrus.spi.UpgradeRequest;
import org.glassfish.tyrus.spi.WebSocketEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grizzly filter between the HTTP codec and the HTTP handlers of the WebSocket listener.
 *
 * <p>It takes the place of Tyrus's stock filter so that the push-server can (1) refuse a handshake before Tyrus
 * sees it, with a clear status and JSON body: 404 for another path, 403 for a foreign Origin, 401 for a missing
 * or bad connect token, 503 past PUSH_MAX_CONNECTIONS; (2) keep the transport connection of each WebSocket, so
 * that frames are written to it directly ({@link Connection}); (3) note every inbound byte for the heartbeat; and
 * (4) drop a connection that has not completed its upgrade within PUSH_HANDSHAKE_TIMEOUT_MS of connecting.
 * Frames themselves are parsed by Tyrus (pings, pongs, close) after {@link InboundFrameGuard} has checked their
 * headers.
 *
 * <p>Everything an upgraded connection holds (its hub and presence entries, its Tyrus state, its limiter slot) is
 * released by listeners on the transport's close, which Grizzly runs exactly once, even for a transport that
 * closed before the listener was added: a client that closes during or right after the upgrade leaves nothing
 * behind.
 */
final class WebSocketFilter extends BaseFilter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketFilter.class);

    /** One upgraded connection: Tyrus's side and ours. Reads and the close are serialised on it. */
    private record Link(org.glassfish.tyrus.spi.Connection tyrus, Connection push, InboundFrameGuard guard) {
        /** Closes Tyrus's side, whose endpoint callback forgets the connection and frees its slot. */
        void close() {
            synchronized (this) {
                tyrus.close(CloseReasons.CLOSED_ABNORMALLY.getCloseReason());
            }
        }
    }

    /**
     * Inbound bytes reach Tyrus in slices of at most one whole frame, so that its buffer (a partial frame plus
     * one slice) never overflows whatever size Grizzly reads in.
     */
    static final int SLICE = InboundFrameGuard.maxFrameBytes(PushEndpoint.MAX_INBOUND_BYTES);

    /** Tyrus's per-connection input limit: a partial frame plus one slice. */
    static final int TYRUS_BUFFER = 2 * SLICE;

    private static final Attribute<Link> LINK =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSocketFilter.class.getName() + ".link");

    /** A connection's handshake deadline, and the close listener that cancels it. */
    private record Deadline(ScheduledFuture<?> timer) implements CloseListener<Closeable, ICloseType> {
        @Override
        public void onClosed(Closeable closeable, ICloseType type) {
            timer.cancel(false);
        }

        /** Cancels the deadline and forgets it, so that an upgraded connection holds nothing of it. */
        void cancel(org.glassfish.grizzly.Connection<?> transport) {
            timer.cancel(false);
            transport.removeCloseListener(this);
        }
    }

    private static final Attribute<Deadline> HANDSHAKE_DEADLINE =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSocketFilter.class.getName() + ".deadline");

    private final WebSocketEngine engine;
    private final ServerConfig config;
    private final ClientIdGenerator clientIds;
    private final ConnectionLimiter limiter;
    private final ConnectTokenVerifier tokens;
    private final JsonMapper json;
    private final Hub hub;
    private final ScheduledExecutorService deadlines;

    /**
     * {@code deadlines} runs the handshake deadline of each new connection; it should remove cancelled tasks
     * (most connections upgrade in time), so that it holds one task per connection still handshaking.
     */
    WebSocketFilter(Hub hub, WebSocketEngine engine, ServerConfig config, ClientIdGenerator clientIds,
                    ConnectionLimiter limiter, ConnectTokenVerifier tokens, JsonMapper json,
                    ScheduledExecutorService deadlines) {
        this.deadlines = deadlines;
        this.json = json;
        this.hub = hub;
        this.engine = engine;
        this.config = config;
        this.clientIds = clientIds;
        this.limiter = limiter;
        this.tokens = tokens;
    }

    /**
     * The filter chain of an upgraded connection: the transport and this filter, nothing else. Once a handshake
     * succeeds the connection is switched to it and the HTTP codec's per-connection state (parsed headers,
     * buffers: most of the memory an idle connection held) is dropped.
     */
    private final FilterChain upgradedChain =
            FilterChainBuilder.stateless().add(new TransportFilter()).add(this).build();

    /** Starts the handshake deadline: the upgrade cancels it, and so does the transport's close. */
    @Override
    public NextAction handleAccept(FilterChainContext ctx) throws IOException {
        org.glassfish.grizzly.Connection<?> transport = ctx.getConnection();
        Deadline deadline = new Deadline(deadlines.schedule(() -> {
            if (LINK.get(transport) == null) {
                log.debug("dropping {}: no WebSocket upgrade within {} ms", transport.getPeerAddress(),
                        config.handshakeTimeoutMillis());
                transport.closeSilently();
            }
        }, config.handshakeTimeoutMillis(), TimeUnit.MILLISECONDS));
        HANDSHAKE_DEADLINE.set(transport, deadline);
        transport.addCloseListener(deadline);
        return ctx.getInvokeAction();
    }

    @Override
    public NextAction handleRead(FilterChainContext ctx) throws IOException {
        Object message = ctx.getMessage();
        if (message instanceof Buffer raw) { // an upgraded connection
            Link link = LINK.get(ctx.getConnection());
            if (link != null) {
                feed(link, raw);
            }
            return ctx.getStopAction();
        }
        HttpContent content = (HttpContent) message;
        HttpRequestPacket request = (HttpRequestPacket) content.getHttpHeader();
        if (!"websocket".equalsIgnoreCase(request.getUpgrade())) {
            return ctx.getInvokeAction(); // plain HTTP: the listener's handlers answer it
        }
        return handshake(ctx, content, request);
    }

    private NextAction handshake(FilterChainContext ctx, HttpContent content, HttpRequestPacket request) {
        NIOConnection transport = (NIOConnection) ctx.getConnection();
        String path = request.getRequestURI();
        if (!"/".equals(path)) {
            return refuse(ctx, request, 404, "not_found", "the WebSocket endpoint is at /");
        }
        String origin = request.getHeader("Origin");
        if (!config.anyOrigin() && origin != null && !config.allowedOrigins().contains(origin)) {
            log.info("refused handshake from {}: origin {} not allowed", request.getRemoteAddress(), origin);
            return refuse(ctx, request, 403, "forbidden_origin", "origin not allowed: " + origin);
        }
        String uid = null;
        if (tokens != null) {
            try {
                uid = tokens.verify(queryParameter(request.getQueryString(), "token"));
            } catch (ConnectTokenVerifier.InvalidTokenException e) {
                log.info("refused handshake from {}: {}", request.getRemoteAddress(), e.getMessage());
                return refuse(ctx, request, 401, "unauthorized", e.getMessage());
            }
        }
        ConnectionLimiter.Slot slot = limiter.tryAcquire();
        if (slot == null) {
            return refuse(ctx, request, 503, "too_many_connections",
                    "this server holds its maximum of " + config.maxConnections() + " connections");
        }
        try {
            return upgrade(ctx, content, request, uid, slot);
        } finally {
            // An upgraded connection frees its slot as the endpoint forgets it (so the hub never holds more than
            // PUSH_MAX_CONNECTIONS); this catches every other way out, e.g. a client gone before onOpen.
            transport.addCloseListener((closeable, type) -> slot.release());
        }
    }

    private NextAction upgrade(FilterChainContext ctx, HttpContent content, HttpRequestPacket request, String uid,
                               ConnectionLimiter.Slot slot) {
        NIOConnection transport = (NIOConnection) ctx.getConnection();
        TyrusUpgradeResponse upgradeResponse = new TyrusUpgradeResponse();
        WebSocketEngine.UpgradeInfo upgrade = engine.upgrade(upgradeRequest(request), upgradeResponse);
        switch (upgrade.getStatus()) {
            case SUCCESS -> {
                writeResponse(ctx, request, upgradeResponse);
                Connection push = new Connection(clientIds.next(), transport, config.maxQueuedBytes());
                org.glassfish.tyrus.spi.Connection tyrus;
                HandshakeContext.set(new HandshakeContext(push, uid, slot));
                try {
                    tyrus = upgrade.createConnection(new GrizzlyWriter(transport), reason -> transport.closeSilently());
                } finally {
                    HandshakeContext.clear();
                }
                Link link = new Link(tyrus, push, new InboundFrameGuard(PushEndpoint.MAX_INBOUND_BYTES));
                Deadline deadline = HANDSHAKE_DEADLINE.get(transport);
                if (deadline != null) {
                    deadline.cancel(transport);
                }
                AttributeHolder attributes = transport.getAttributes();
                for (String name : List.copyOf(attributes.getAttributeNames())) {
                    attributes.removeAttribute(name);
                }
                transport.setProcessor(upgradedChain);
                LINK.set(transport, link);
                // Runs at once if the client has already gone (even before the 101 was written).
                transport.addCloseListener((closeable, type) -> link.close());
                Buffer early = content.getContent(); // frames sent right behind the handshake
                if (early.hasRemaining()) {
                    feed(link, early);
                }
                return ctx.getStopAction();
            }
            case HANDSHAKE_FAILED -> {
                writeResponse(ctx, request, upgradeResponse);
                transport.closeSilently();
                return ctx.getStopAction();
            }
            default -> {
                return refuse(ctx, request, 404, "not_found", "the WebSocket endpoint is at /");
            }
        }
    }

    private void feed(Link link, Buffer buffer) {
        if (!buffer.hasRemaining()) {
            return;
        }
        link.push().touch();
        synchronized (link) {
            if (buffer.isComposite()) {
                for (ByteBuffer part : buffer.toByteBufferArray().getArray()) {
                    if (part != null && !feed(link, part)) {
                        return;
                    }
                }
            } else {
                feed(link, buffer.toByteBuffer());
            }
        }
    }

    private boolean feed(Link link, ByteBuffer bytes) {
        boolean refusedBefore = link.guard().refused();
        if (!link.guard().accept(bytes)) {
            // The client may still be sending the rest of the frame: closing the socket now would reset the
            // connection and lose the close frame. Send it, ignore what follows, and drop the socket after the
            // grace period unless the client closes first.
            if (!refusedBefore) {
                InboundFrameGuard.Refusal refusal = link.guard().refusal();
                hub.close(link.push(), refusal.code, refusal.reason);
            }
            return false;
        }
        for (int from = bytes.position(); from < bytes.limit(); from += SLICE) {
            ByteBuffer slice = bytes.duplicate();
            slice.position(from).limit(Math.min(from + SLICE, bytes.limit()));
            link.tyrus().getReadHandler().handle(slice);
        }
        return true;
    }

    private static UpgradeRequest upgradeRequest(HttpRequestPacket request) {
        Map<String, String[]> parameters = new HashMap<>();
        RequestContext context = RequestContext.Builder.create()
                .requestURI(URI.create(request.getRequestURI()))
                .queryString(request.getQueryString())
                .parameterMap(parameters)
                .secure(request.isSecure())
                .remoteAddr(request.getRemoteAddress())
                .serverAddr(request.getLocalAddress())
                .serverPort(request.getLocalPort())
                .build();
        for (String name : request.getHeaders().names()) {
            for (String value : request.getHeaders().values(name)) {
                context.getHeaders().computeIfAbsent(name, k -> new ArrayList<>())
                        .addAll(Utils.parseHeaderValue(value.trim()));
            }
        }
        return context;
    }

    private static void writeResponse(FilterChainContext ctx, HttpRequestPacket request,
                                      TyrusUpgradeResponse upgradeResponse) {
        HttpResponsePacket response = request.getResponse();
        response.setProtocol(Protocol.HTTP_1_1);
        response.setStatus(upgradeResponse.getStatus());
        if (upgradeResponse.getReasonPhrase() != null) {
            response.setReasonPhrase(upgradeResponse.getReasonPhrase());
        }
        for (Map.Entry<String, List<String>> header : upgradeResponse.getHeaders().entrySet()) {
            response.setHeader(header.getKey(), Utils.getHeaderFromList(header.getValue()));
        }
        ctx.write(HttpContent.builder(response).build());
    }

    private NextAction refuse(FilterChainContext ctx, HttpRequestPacket request, int status, String code,
                                     String message) {
        byte[] body = json.writeValueAsBytes(ErrorBody.of(code, message));
        HttpResponsePacket response = request.getResponse();
        response.setProtocol(Protocol.HTTP_1_1);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.setHeader("Connection", "close");
        ctx.write(HttpContent.builder(response)
                .content(Buffers.wrap(ctx.getMemoryManager(), body)).last(true).build());
        ctx.getConnection().closeSilently();
        return ctx.getStopAction();
    }

    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
