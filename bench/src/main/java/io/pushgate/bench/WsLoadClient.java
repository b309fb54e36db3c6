package io.pushgate.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many WebSocket client connections on one selector thread: the load generator's receiving side. It performs
 * the handshakes, keeps each connection's client_id from its init frame, answers pings, and counts frames
 * without decoding them, so that one core can take well over 100,000 frames a second.
 */
final class WsLoadClient implements AutoCloseable {
    private static final byte[] PONG = {(byte) 0x8A, (byte) 0x80, 0, 0, 0, 0}; // masked, empty

    /** One connection's parsing state. */
    private static final class Conn {
        final SocketChannel channel;
        boolean upgraded;
        final StringBuilder handshake = new StringBuilder();
        String clientId;
        byte[] header = new byte[10];
        int headerLength;
        long payloadLeft;
        int opcode;
        byte[] initPayload; // only for the first frame
        int initFill;

        Conn(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(1 << 18);
    private final Thread loop;
    private volatile boolean running = true;
    private final java.util.concurrent.ConcurrentLinkedQueue<SocketChannel> pending =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    WsLoadClient() throws IOException {
        selector = Selector.open();
        loop = new Thread(this::run, "ws-load-client");
        loop.setDaemon(true);
        loop.start();
    }

    /** Opens {@code n} connections to {@code host:port} path {@code /}, {@code parallel} handshakes at a time. */
    List<String> connect(String host, int port, int n, int parallel) throws Exception {
        InetSocketAddress address = new InetSocketAddress(host, port);
        int opened = 0;
        long lastProgress = System.nanoTime();
        while (true) {
            int ready = readyCount();
            if (ready >= n) {
                break;
            }
            while (opened < n && opened - ready < parallel) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (address.getAddress().isLoopbackAddress()) {
                    // spread over 127.0.0.2-9: each source address has its own ephemeral ports, so that tens of
                    // thousands of connections (and their TIME_WAITs) never run out of them
                    channel.bind(new InetSocketAddress("127.0.0." + (2 + opened % 8), 0));
                }
                channel.connect(address);
                pending.add(channel);
                opened++;
            }
            selector.wakeup();
            Thread.sleep(5);
            if (System.nanoTime() - lastProgress > 5_000_000_000L) {
                System.err.printf("  connected %d/%d%n", ready, n);
                lastProgress = System.nanoTime();
            }
        }
        synchronized (conns) {
            List<String> ids = new ArrayList<>(n);
            for (Conn c : conns) {
                if (c.clientId != null) {
                    ids.add(c.clientId);
                }
            }
            return ids;
        }
    }

    private int readyCount() {
        synchronized (conns) {
            int ready = 0;
            for (Conn c : conns) {
                if (c.clientId != null) {
                    ready++;
                }
            }
            return ready;
        }
    }

    /** Frames received after the init frame, over every connection. */
    long frames() {
        return frames.get();
    }

    long closedCount() {
        return closed.get();
    }

    private void run() {
        try {
            while (running) {
                selector.select(50);
                SocketChannel channel;
                while ((channel = pending.poll()) != null) {
                    Conn conn = new Conn(channel);
                    channel.register(selector, SelectionKey.OP_CONNECT, conn);
                    synchronized (conns) {
                        conns.add(conn);
                    }
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            conn.channel.finishConnect();
                            String request = "GET / HTTP/1.1\r\nHost: bench\r\nUpgrade: websocket\r\n"
                                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    + "Sec-WebSocket-Version: 13\r\n\r\n";
                            conn.channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            read(key, conn);
                        }
                    } catch (IOException e) {
                        key.cancel();
                        closeQuietly(conn);
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void read(SelectionKey key, Conn conn) throws IOException {
        readBuffer.clear();
        int n = conn.channel.read(readBuffer);
        if (n < 0) {
            key.cancel();
            closeQuietly(conn);
            return;
        }
        readBuffer.flip();
        if (!conn.upgraded) {
            while (readBuffer.hasRemaining()) {
                conn.handshake.append((char) readBuffer.get());
                if (conn.handshake.length() >= 4 && conn.handshake.lastIndexOf("\r\n\r\n") >= 0) {
                    if (!conn.handshake.toString().startsWith("HTTP/1.1 101")) {
                        throw new IOException("handshake refused: " + conn.handshake.toString().split("\r\n")[0]);
                    }
                    conn.upgraded = true;
                    conn.handshake.setLength(0);
                    break;
                }
            }
        }
        long counted = 0;
        while (readBuffer.hasRemaining()) {
            if (conn.payloadLeft > 0) {
                int take = (int) Math.min(conn.payloadLeft, readBuffer.remaining());
                if (conn.initPayload != null && conn.clientId == null) {
                    readBuffer.get(conn.initPayload, conn.initFill, take);
                    conn.initFill += take;
                } else {
                    readBuffer.position(readBuffer.position() + take);
                }
                conn.payloadLeft -= take;
                if (conn.payloadLeft == 0) {
                    counted += frameDone(conn);
                }
                continue;
            }
            conn.header[conn.headerLength++] = readBuffer.get();
            if (conn.headerLength < 2) {
                continue;
            }
            int len7 = conn.header[1] & 0x7f;
            int ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
            if (conn.headerLength < 2 + ext) {
                continue;
            }
            long len = len7;
            if (ext > 0) {
                len = 0;
                for (int i = 0; i < ext; i++) {
                    len = (len << 8) | (conn.header[2 + i] & 0xff);
                }
            }
            conn.opcode = conn.header[0] & 0x0f;
            conn.headerLength = 0;
            conn.payloadLeft = len;
            if (conn.clientId == null && conn.opcode == 1) {
                conn.initPayload = new byte[(int) len];
                conn.initFill = 0;
            }
            if (len == 0) {
                counted += frameDone(conn);
            }
        }
        if (counted > 0) {
            frames.addAndGet(counted);
        }
    }

    private int frameDone(Conn conn) throws IOException {
        if (conn.opcode == 9) {
            conn.channel.write(ByteBuffer.wrap(PONG));
            return 0;
        }
        if (conn.opcode == 8) {
            closed.incrementAndGet();
            return 0;
        }
        if (conn.clientId == null && conn.initPayload != null) {
            String init = new String(conn.initPayload, StandardCharsets.UTF_8);
            int at = init.indexOf("\"client_id\":\"") + 13;
            conn.clientId = init.substring(at, init.indexOf('"', at));
            conn.initPayload = null;
            return 0;
        }
        return conn.opcode == 1 ? 1 : 0;
    }

    private void closeQuietly(Conn conn) {
        closed.incrementAndGet();
        try {
            conn.channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (conns) {
            for (Conn c : conns) {
                c.channel.close();
            }
        }
        selector.close();
    }
}
