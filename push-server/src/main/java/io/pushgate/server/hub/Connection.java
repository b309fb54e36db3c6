package io.pushgate.server.hub;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.SocketAddress;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.memory.MemoryManager;
import org.glassfish.grizzly.nio.NIOConnection;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * One live WebSocket on this node.
 *
 * <p>Frames are written straight to the transport's asynchronous write queue, bypassing Tyrus's per-message
 * framing and futures: a frame is encoded once per send ({@link OutboundFrame}) and each delivery is a single
 * enqueue. When the socket can take the bytes, Grizzly writes them in the calling thread; otherwise they wait in
 * the connection's queue, whose size is bounded here: a connection that falls more than {@code maxQueuedBytes}
 * behind is not written to again (see {@link SendResult#SLOW}).
 *
 * <p>Frames to one connection leave in the order of the {@link #send} calls that accepted them.
 */
public final class Connection {

    /** What became of a {@link #send}. */
    public enum SendResult { SENT, CLOSED, SLOW }

    private final String clientId;
    private final long connectedAtMillis;
    private final NIOConnection transport;
    private final AsyncQueueWriter<SocketAddress> writer;
    private final MemoryManager<?> memory;
    private final int maxQueuedBytes;
    private volatile Session session;
    private volatile long lastSeenNanos;
    private volatile boolean closing;

    @SuppressWarnings("unchecked")
    public Connection(String clientId, NIOConnection transport, int maxQueuedBytes) {
        this.clientId = clientId;
        this.connectedAtMillis = System.currentTimeMillis();
        this.transport = transport;
        NIOTransport nioTransport = (NIOTransport) transport.getTransport();
        this.writer = (AsyncQueueWriter<SocketAddress>) nioTransport.getAsyncQueueIO().getWriter();
        this.memory = transport.getMemoryManager();
        this.maxQueuedBytes = maxQueuedBytes;
        this.lastSeenNanos = System.nanoTime();
    }

    public String clientId() {
        return clientId;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    /** Called once Tyrus has opened the session for this connection. */
    public void attach(Session tyrusSession) {
        this.session = tyrusSession;
    }

    /** Records that something (a frame or a pong) arrived from the client. */
    public void touch() {
        lastSeenNanos = System.nanoTime();
    }

    public long lastSeenNanos() {
        return lastSeenNanos;
    }

    public boolean isOpen() {
        return !closing && transport.isOpen();
    }

    /** Bytes written to this connection that the client has not taken yet. */
    public int queuedBytes() {
        return transport.getAsyncWriteQueue().spaceInBytes();
    }

    /** Enqueues one frame unless the connection is closing or would fall more than the bound behind. */
    @SuppressWarnings("unchecked")
    public SendResult send(OutboundFrame frame) {
        if (closing || !transport.isOpen()) {
            return SendResult.CLOSED;
        }
        if (queuedBytes() + frame.length() > maxQueuedBytes) {
            return SendResult.SLOW;
        }
        Buffer bytes = Buffers.wrap(memory, frame.bytes());
        // The array is shared by every connection the frame goes to. A wrapper recycled from Grizzly's cache may
        // still allow disposal, and disposing hands the array to the thread's buffer pool, which would then
        // write over bytes still queued for other connections: never let it.
        bytes.allowBufferDispose(false);
        try {
            writer.write(transport, bytes);
            return SendResult.SENT;
        } catch (IOException e) {
            return SendResult.CLOSED; // the socket failed under us; its close event cleans up
        }
    }

    /**
     * Starts the closing handshake with {@code code}; no data frame is sent after this. The transport itself is
     * closed when the client answers, or by {@link #terminate()} if it never does.
     */
    public void close(CloseReason.CloseCode code, String reason) {
        closing = true;
        Session s = session;
        try {
            if (s != null && s.isOpen()) {
                s.close(new CloseReason(code, reason));
                return;
            }
        } catch (IOException | RuntimeException e) {
            // the socket is already gone: fall through and drop it
        }
        terminate();
    }

    /** Drops the TCP connection at once, without waiting for queued bytes. */
    public void terminate() {
        closing = true;
        transport.terminateSilently();
    }

    @Override
    public String toString() {
        return "Connection[" + clientId + " " + transport.getPeerAddress() + "]";
    }
}
