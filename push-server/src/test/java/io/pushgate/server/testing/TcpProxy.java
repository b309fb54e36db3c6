package io.pushgate.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
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
 * port), cut the connections it relays while it keeps accepting ({@link #dropConnections}), or stall it
 * ({@link #pause}: connections are still accepted and kept, but no byte goes through in either direction until
 * {@link #resume}, as when the process behind it is stopped with SIGSTOP or Redis is paused).
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile ServerSocket server;
    private int port;
    private boolean paused;

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

    /** Stops relaying: bytes already read are held, and nothing more is read or written until {@link #resume}. */
    public void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    /** Relays again, starting with the bytes held while paused. */
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    public synchronized void stop() {
        resume(); // a paused relay must not hold its threads past the stop
        closeQuietly(server);
        dropConnections();
    }

    /** Cuts every relayed connection, as a network fault would, and goes on accepting new ones. */
    public synchronized void dropConnections() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
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
            while ((n = in.read(buffer)) >= 0) {
                awaitUnpaused();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void awaitUnpaused() throws InterruptedIOException {
        synchronized (gate) {
            while (paused) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while paused");
                }
            }
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
