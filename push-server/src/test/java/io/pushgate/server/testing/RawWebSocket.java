package io.pushgate.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket, for what a well-behaved client library will not do: ignore pings, stop
 * reading, send binary or oversized frames, and read close frames as they are.
 */
public final class RawWebSocket implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;
    public static final int PONG = 10;

    /** One frame as received. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final SecureRandom random = new SecureRandom();

    private RawWebSocket(Socket socket, int status, DataInputStream in) throws IOException {
        this.socket = socket;
        this.status = status;
        this.in = in;
        this.out = socket.getOutputStream();
    }

    /** Opens a socket (with a small receive buffer when {@code receiveBuffer} > 0) and performs the handshake. */
    public static RawWebSocket connect(URI ws, String origin, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(ws.getHost(), ws.getPort()), 5000);
        socket.setSoTimeout(15000);
        socket.getOutputStream().write(upgradeRequest(ws, origin));
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        while (!readLine(in).isEmpty()) {
            // skip headers
        }
        return new RawWebSocket(socket, status, in);
    }

    public static RawWebSocket connect(URI ws) throws IOException {
        return connect(ws, null, 0);
    }

    /** The bytes of a valid upgrade request to {@code ws} (with an Origin header unless {@code origin} is null). */
    public static byte[] upgradeRequest(URI ws, String origin) {
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        String path = ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        return request.getBytes(StandardCharsets.US_ASCII);
    }

    /** The handshake's HTTP status: 101 when upgraded. */
    public int status() {
        return status;
    }

    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until one of {@code opcode} arrives, skipping others. */
    public Frame readUntil(int opcode) throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == opcode) {
                return frame;
            }
        }
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame, as a client must. */
    public void send(int opcode, byte[] payload) throws IOException {
        send(opcode, payload, true);
    }

    /** Sends one frame without a mask, as only a server may (RFC 6455 section 5.1). */
    public void sendUnmasked(int opcode, byte[] payload) throws IOException {
        send(opcode, payload, false);
    }

    private void send(int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        int maskBit = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            frame.write(maskBit | n);
        } else if (n <= 0xffff) {
            frame.write(maskBit | 126);
            frame.write(n >>> 8);
            frame.write(n);
        } else {
            frame.write(maskBit | 127);
            for (int i = 7; i >= 0; i--) {
                frame.write((int) ((long) n >>> (8 * i)));
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            random.nextBytes(mask);
            frame.write(mask);
        }
        for (int i = 0; i < n; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** True once the server has closed the TCP connection (reads reach end of stream). */
    public boolean drainedToEnd() {
        try {
            InputStream raw = in;
            byte[] buf = new byte[65536];
            while (raw.read(buf) >= 0) {
                // discard
            }
            return true;
        } catch (IOException e) {
            return true; // reset by the server counts as closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String readLine(DataInputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
