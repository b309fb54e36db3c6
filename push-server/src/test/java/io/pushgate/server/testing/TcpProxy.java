package io.pushgate.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a loopback port in front of a real service (Redis, MariaDB), so a test can cut the service off
 * ({@link #stop}: the port refuses and every relayed connection drops) and let it back ({@link #start}, same
 * port), cut the connections it relays while it keeps accepting ({@link #dropConnections}), or stall them
 * ({@link #stall}: open, but nothing flows, as with a stopped process).
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private int port;
    private boolean stalled; // guarded by this

    public TcpProxy(String host, int port) {
        this.target = new InetSocketAddress(host, port);
    }

    public synchronized void start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        server = socket;
        daemon("proxy-accept", () -> accept(socket));
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        closeQuietly(server);
        dropConnections();
    }

    /** Blocks while stalled; false once {@code from} was closed meanwhile. */
    private synchronized boolean awaitFlowing(Socket from) throws InterruptedException {
        while (stalled && !from.isClosed()) {
            wait();
        }
        return !from.isClosed();
    }

    /** Cuts every relayed connection, as a network fault would, and goes on accepting new ones. */
    public synchronized void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
        stalled = false;
        notifyAll();
    }

    /**
     * Stops relaying in both directions but keeps every connection open, as a stopped process (SIGSTOP) would:
     * what either side sends is held back, and so is everything on connections accepted from now on. Until
     * {@link #dropConnections} or {@link #stop} (which close the connections; later ones flow again).
     */
    public synchronized void stall() {
        stalled = true;
    }

    /** How many connections it relays now. */
    public int connections() {
        return sockets.size() / 2;
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket upstream = new Socket();
                try {
                    upstream.connect(target, 1000);
                } catch (IOException e) {
                    closeQuietly(client);
                    continue;
                }
                if (!register(socket, client, upstream)) {
                    return; // stopped while this connection was being set up: it must not outlive the stop
                }
                daemon("proxy-up", () -> pump(client, upstream));
                daemon("proxy-down", () -> pump(upstream, client));
            } catch (IOException e) {
                return; // stopped
            }
        }
    }

    /** Adds a relayed pair unless {@code server} was stopped meanwhile (then closes both); atomic with stop. */
    private synchronized boolean register(ServerSocket server, Socket client, Socket upstream) {
        if (server.isClosed()) {
            closeQuietly(client);
            closeQuietly(upstream);
            return false;
        }
        sockets.add(client);
        sockets.add(upstream);
        return true;
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0 && awaitFlowing(from)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
