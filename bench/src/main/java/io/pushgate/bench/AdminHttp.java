package io.pushgate.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;

/**
 * A minimal HTTP/1.1 keep-alive client on one blocking socket: the load generator's sending side for the admin
 * API. One instance per thread; it sends a request and reads its response before the next, like wrk without
 * pipelining, so that what is measured is the server, not a client library.
 */
final class AdminHttp implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI admin;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final String host;
    private final String secret;

    AdminHttp(URI admin, String secret) throws IOException {
        this.admin = admin;
        this.host = admin.getHost() + ":" + admin.getPort();
        this.secret = secret;
        connect();
    }

    private void connect() throws IOException {
        socket = new Socket(admin.getHost(), admin.getPort());
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 65536);
    }

    /**
     * Pre-builds the bytes of one request, its body {@code body} as JSON, so that a loop can send it again and
     * again.
     */
    byte[] request(String method, Object body) {
        return request(method, JSON.writeValueAsBytes(body));
    }

    private byte[] request(String method, byte[] body) {
        String head = "POST /v1/" + method + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + secret
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** Sends a pre-built request and returns the response body; throws on a status other than 200. */
    String send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String status = line();
        int contentLength = -1;
        boolean close = false;
        String header;
        while (!(header = line()).isEmpty()) {
            if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                contentLength = Integer.parseInt(header.substring(15).trim());
            } else if (header.regionMatches(true, 0, "Connection:", 0, 11)) {
                close = header.substring(11).trim().equalsIgnoreCase("close");
            }
        }
        byte[] body = in.readNBytes(Math.max(contentLength, 0));
        if (close) { // e.g. the push-server's answer to a body that arrived in pieces
            socket.close();
            connect();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException(status + " " + text);
        }
        return text;
    }

    String call(String method, Object body) throws IOException {
        return send(request(method, body));
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
