package io.pushgate.webapi.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange over a plain socket, for requests no HTTP client would send: malformed lines, trickled
 * bytes, bodies shorter than their Content-Length.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;

    /** A response as read off the wire; {@code status} is 0 when the server closed without answering. */
    record Answer(int status, String head, String body) {
        String contentType() {
            String value = header("content-type");
            return value == null ? "" : value.toLowerCase(Locale.ROOT);
        }

        long contentLength() {
            String value = header("content-length");
            return value == null ? -1 : Long.parseLong(value);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Half-closes: the server sees the end of the request stream. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Reads one response: the head, then the body by Content-Length (or until the server closes). Fails when
     * nothing complete arrived within {@code timeout}.
     */
    Answer read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            if (headEnd >= 0 && contentLength >= 0 && received.size() - headEnd >= contentLength) {
                break;
            }
            int left = (int) ((deadline - System.nanoTime()) / 1_000_000);
            if (left <= 0) {
                throw new SocketTimeoutException("no complete answer within " + timeout);
            }
            socket.setSoTimeout(left);
            int n;
            try {
                n = in.read(buffer);
            } catch (java.net.SocketException e) { // reset by the server
                n = -1;
            }
            if (n < 0) {
                break;
            }
            received.write(buffer, 0, n);
            if (headEnd < 0) {
                String text = received.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end >= 0) {
                    headEnd = end + 4;
                    contentLength = new Answer(0, text.substring(0, end), "").contentLength();
                }
            }
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (headEnd < 0) {
            return new Answer(0, text, "");
        }
        String head = received.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd - 4);
        String[] statusLine = head.split("\r\n", 2)[0].split(" ");
        int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
        byte[] all = received.toByteArray();
        int length = contentLength >= 0 ? (int) Math.min(contentLength, all.length - headEnd) : all.length - headEnd;
        return new Answer(status, head, new String(all, headEnd, length, StandardCharsets.UTF_8));
    }

    /** True when the server has closed the connection (reads end) within {@code timeout}, skipping any answer. */
    boolean closedWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            int left = (int) ((deadline - System.nanoTime()) / 1_000_000);
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout(left);
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true; // reset
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
