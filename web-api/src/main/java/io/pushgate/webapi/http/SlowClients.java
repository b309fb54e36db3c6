package io.pushgate.webapi.http;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * How Jetty reads requests, so that a slow or stalled client holds no thread and no connection for long:
 *
 * <ul>
 *   <li>A request's headers still arriving {@code readTimeout} after they started close the connection (Jetty
 *       parses headers without a thread, but a trickle of a byte a second would keep the connection forever).</li>
 *   <li>A connection silent for {@code readTimeout} is closed (Jetty's idle timeout), between requests too.</li>
 *   <li>A body of up to {@code bufferedBodyBytes} is read without a thread before the handler runs
 *       ({@link BufferedBodyHandler}), so JSON handlers never block on the network; only an upload is read by
 *       its handler, after it has checked the login.</li>
 *   <li>A body that arrives slower than {@code minReadRate} bytes per second is cut
 *       ({@link MinimumReadRateHandler}): the handler's read fails with a timeout, answered 408.</li>
 *   <li>Errors Jetty raises itself are written by {@code errors} (the contract's JSON body).</li>
 * </ul>
 */
public final class SlowClients {
    private SlowClients() {
    }

    public static void configure(JettyConfig jetty, String host, int port, Duration readTimeout, int minReadRate,
                                 int bufferedBodyBytes, ErrorHandler errors, RequestWarnings warnings) {
        jetty.modifyServer(server -> {
            // Javalin puts its servlet context inside the innermost wrapper
            server.setHandler(new MinimumReadRateHandler(minReadRate,
                    new BufferedBodyHandler(bufferedBodyBytes, null)));
            server.setErrorHandler(errors);
        });
        jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(readTimeout.toMillis()));
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(readTimeout.toMillis());
            connector.addBean(new HeaderDeadline(readTimeout, warnings));
            return connector;
        });
    }

    /**
     * Closes a connection whose request headers are still arriving {@code deadline} after they started: each
     * connection is looked at every half deadline, and one seen twice in a row inside the same request's headers
     * is closed.
     */
    private static final class HeaderDeadline implements Connection.Listener {
        private final long periodMs;
        private final RequestWarnings warnings;

        HeaderDeadline(Duration deadline, RequestWarnings warnings) {
            this.periodMs = Math.max(1, deadline.toMillis() / 2);
            this.warnings = warnings;
        }

        @Override
        public void onOpened(Connection connection) {
            if (connection instanceof HttpConnection http) {
                watch(http, -1);
            }
        }

        private void watch(HttpConnection http, long requestInHeaders) {
            http.getConnector().getScheduler().schedule(() -> check(http, requestInHeaders), periodMs,
                    TimeUnit.MILLISECONDS);
        }

        private void check(HttpConnection http, long requestInHeaders) {
            if (!http.getEndPoint().isOpen()) {
                return;
            }
            long request = http.getMessagesIn();
            boolean inHeaders = http.getParser().inHeaderState() && !http.getParser().isStart();
            if (inHeaders && request == requestInHeaders) {
                warnings.warn("408 request_timeout", "request headers from "
                        + http.getEndPoint().getRemoteSocketAddress() + " took longer than " + 2 * periodMs
                        + " ms; connection closed");
                http.getEndPoint().close(new TimeoutException("request headers arrived too slowly"));
                return;
            }
            watch(http, inHeaders ? request : -1);
        }
    }
}
