package io.pushgate.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;
import mockwebserver3.MockWebServer;

/**
 * Scripted HTTP servers (OkHttp's MockWebServer) for the client's tests. Their sockets use TCP_NODELAY, as the
 * push-server's do: MockWebServer writes an answer's headers and body apart, and without it each answer would wait
 * for a delayed ACK (~40 ms).
 */
final class ScriptedServers {
    private ScriptedServers() {
    }

    /** A started server on a loopback port; close it after the test. */
    static MockWebServer start() throws IOException {
        MockWebServer server = new MockWebServer();
        server.setServerSocketFactory(new NoDelay());
        server.start();
        return server;
    }

    private static final class NoDelay extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            throw new UnsupportedOperationException("MockWebServer binds an unbound socket");
        }
    }
}
