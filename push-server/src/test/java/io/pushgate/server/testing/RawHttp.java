package io.pushgate.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 on a plain socket, for what a client library will not send: malformed requests, bodies trickled a
 * byte at a time, headers never finished. Every read has a deadline.
 */
public final class RawHttp implements AutoCloseable {

    /** A response as received; headers are keyed in lower case. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the host and port of {@code base}. */
    public static RawHttp connect(URI base) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        return new RawHttp(socket);
    }

    /** Sends one request on a fresh connection and reads its reply within {@code timeout}. */
    public static Reply exchange(URI base, byte[] request, Duration timeout) throws IOException {
        try (RawHttp http = connect(base)) {
            http.send(request);
            boolean head = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1)
                    .equals("HEAD ");
            return head ? http.readHead(timeout) : http.read(timeout);
        }
    }

    public static Reply exchange(URI base, String request, Duration timeout) throws IOException {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1), timeout);
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code text} as ISO-8859-1, so each char below 256 is one byte. */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Half-closes the connection: the server sees the end of the request, and its reply can still come back. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Reads one response (status line, headers, a Content-Length body) within {@code timeout}; throws
     * {@link SocketTimeoutException} when it does not come in time and {@link IOException} when the server closes
     * first.
     */
    public Reply read(Duration timeout) throws IOException {
        return read(timeout, true);
    }

    /** Reads the reply to a HEAD request: its Content-Length describes a body that is not sent. */
    public Reply readHead(Duration timeout) throws IOException {
        return read(timeout, false);
    }

    private Reply read(Duration timeout, boolean withBody) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String statusLine = line(deadline);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: '" + statusLine + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(deadline); !header.isEmpty(); header = line(deadline)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        int length = withBody ? Integer.parseInt(headers.getOrDefault("content-length", "0")) : 0;
        byte[] body = new byte[length];
        for (int n = 0; n < length; n++) {
            body[n] = (byte) next(deadline);
        }
        return new Reply(Integer.parseInt(parts[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    /** True when the server closes the connection (end of stream or reset) within {@code timeout}. */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                next(deadline);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // end of stream or reset
        }
    }

    private String line(long deadline) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = next(deadline); c != '\n'; c = next(deadline)) {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private int next(long deadline) throws IOException {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (System.nanoTime() >= deadline) {
            throw new SocketTimeoutException("deadline passed");
        }
        socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        int c = in.read();
        if (c < 0) {
            throw new IOException("closed by the server");
        }
        return c;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
