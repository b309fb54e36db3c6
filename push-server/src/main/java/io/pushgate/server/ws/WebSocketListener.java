package io.pushgate.server.ws;

import io.pushgate.server.ErrorBody;
import io.pushgate.server.JsonHttpErrors;
import io.pushgate.server.ServerConfig;
import io.pushgate.server.hub.ClientIdGenerator;
import io.pushgate.server.hub.Hub;
import io.pushgate.server.presence.Presence;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public WebSocket listener: Grizzly bound to PUSH_WS_HOST:PUSH_WS_PORT (Tyrus's stock {@code Server} would
 * bind 0.0.0.0 whatever host it is given), Tyrus's engine behind {@link WebSocketFilter}, and the
 * {@link PushEndpoint} at {@code /}. A plain HTTP {@code GET /health} answers 200 for load balancers; any other
 * plain HTTP request gets 426.
 */
public final class WebSocketListener implements AutoCloseable {
    private static final String NAME = "pushgate-ws";

    private final HttpServer server;
    private final NetworkListener listener;
    private final TyrusContainer container;
    private final ConnectionLimiter limiter;
    private final ScheduledThreadPoolExecutor handshakeDeadlines;

    public WebSocketListener(ServerConfig config, Hub hub, Presence presence, JsonMapper json) {
        this.container = new TyrusContainer();
        PushEndpoint endpoint = new PushEndpoint(hub, presence, json);
        try {
            container.register(ServerEndpointConfig.Builder.create(PushEndpoint.class, "/")
                    .configurator(new ServerEndpointConfig.Configurator() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T getEndpointInstance(Class<T> endpointClass) {
                            return (T) endpoint;
                        }
                    }).build());
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot deploy the WebSocket endpoint", e);
        }
        ConnectTokenVerifier tokens = config.connectSecret() == null
                ? null : new ConnectTokenVerifier(config.connectSecret(),
                        Duration.ofSeconds(config.connectTokenMaxTtlSeconds()), Clock.systemUTC());
        this.limiter = new ConnectionLimiter(config.maxConnections());
        this.handshakeDeadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, NAME + "-handshake-deadline");
            t.setDaemon(true);
            return t;
        });
        handshakeDeadlines.setRemoveOnCancelPolicy(true); // most connections upgrade in time: do not keep them
        WebSocketFilter filter = new WebSocketFilter(hub, container.getWebSocketEngine(), config,
                new ClientIdGenerator(config.nodeId()), limiter, tokens, json, handshakeDeadlines);

        server = new HttpServer();
        listener = new NetworkListener(NAME, config.wsHost(), config.wsPort());
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1); // upgraded connections live until closed
        TCPNIOTransport transport = listener.getTransport();
        int cores = Runtime.getRuntime().availableProcessors();
        transport.setSelectorRunnersCount(cores);
        transport.setIOStrategy(WorkerThreadIOStrategy.getInstance());
        transport.setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
                .setPoolName(NAME + "-worker").setCorePoolSize(2 * cores).setMaxPoolSize(2 * cores));
        transport.setServerConnectionBackLog(8192);
        transport.setTcpNoDelay(true);
        listener.registerAddOn((networkListener, builder) -> {
            int index = builder.indexOfType(HttpServerFilter.class);
            builder.add(index, filter);
        });
        JsonHttpErrors.install(listener, json);
        server.addListener(listener);
        server.getServerConfiguration().setJmxEnabled(false);
        server.getServerConfiguration().setName(NAME);
        byte[] upgradeRequired = json.writeValueAsBytes(ErrorBody.of("upgrade_required",
                "this is a WebSocket endpoint: connect with ws:// to /"));
        byte[] healthy = json.writeValueAsBytes(Map.of("status", "ok"));
        server.getServerConfiguration().addHttpHandler(new HttpHandler() {
            @Override
            public void service(Request request, Response response) throws IOException {
                boolean health = "/health".equals(request.getRequestURI());
                response.setStatus(health ? 200 : 426);
                response.setContentType("application/json");
                byte[] body = health ? healthy : upgradeRequired;
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
        }, "/");
    }

    public void start() throws IOException {
        server.start();
    }

    /** The bound port (useful when PUSH_WS_PORT is 0). */
    public int port() {
        return listener.getPort();
    }

    /** Refuses new handshakes with 503 from now on; open connections stay. */
    public void stopAccepting() {
        limiter.close();
    }

    @Override
    public void close() {
        server.shutdownNow();
        container.stop();
        handshakeDeadlines.shutdownNow();
    }

    /** Tyrus's engine, configured for a push-only channel with small client frames. */
    private static final class TyrusContainer extends TyrusServerContainer {
        private final TyrusWebSocketEngine engine;

        TyrusContainer() {
            super((Set<Class<?>>) null);
            engine = TyrusWebSocketEngine.builder(this)
                    .incomingBufferSize(WebSocketFilter.TYRUS_BUFFER)
                    .build();
        }

        @Override
        public void register(Class<?> endpointClass) throws DeploymentException {
            engine.register(endpointClass, "");
        }

        @Override
        public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
            engine.register(serverEndpointConfig, "");
        }

        @Override
        public WebSocketEngine getWebSocketEngine() {
            return engine;
        }

        @Override
        public Map<String, Object> getProperties() {
            return Map.of();
        }
    }
}
