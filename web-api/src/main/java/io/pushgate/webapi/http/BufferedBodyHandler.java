package io.pushgate.webapi.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads a request body of up to {@code maxBytes} before the next handler runs, without a thread while it waits
 * (reads and demands on the request), so handlers that read with blocking I/O never wait on the network. The bytes
 * are copied and each network buffer released at once; the handler runs only once the reading is over. Multipart
 * bodies (uploads, up to 5 MB) and bodies that announce more than {@code maxBytes} go straight to the next handler:
 * it checks the login, or the size, first. A body that fails to arrive (cut off, ended early, over
 * {@code maxBytes}) reaches the handler as that failure.
 *
 * <p>Jetty's own {@code EagerContentHandler} does this by retaining the network buffers, which under the fuzz
 * test made Jetty release a buffer twice, and so does {@code Content.Source.asByteArrayAsync} (see
 * {@link BodyReader}); copying at most 64 KB is simpler.
 */
final class BufferedBodyHandler extends Handler.Wrapper {
    private final int maxBytes;

    BufferedBodyHandler(int maxBytes, Handler handler) {
        super(handler);
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long length = request.getLength();
        boolean chunked = length < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (!(length > 0 && length <= maxBytes || chunked) || isMultipart(request)) {
            return super.handle(request, response, callback);
        }
        Content.Chunk body = readBody(request, maxBytes, later ->
                request.getContext().execute(() -> dispatch(request, response, callback, later)));
        if (body != null) { // the usual case: the body came with the headers
            dispatch(request, response, callback, body);
        }
        return true;
    }

    /**
     * Reads {@code source} to its end: returns the body as one last chunk (or the failure to read it) when it has
     * all arrived, else returns null and hands it to {@code later} once it has. Each network chunk is copied and
     * released as soon as it is read, and once the body (or its failure) is handed over the request is not touched
     * again: the handler may answer at once, and Jetty then moves on to the connection's next request with the
     * same request buffer.
     */
    static Content.Chunk readBody(Content.Source source, int maxBytes, Consumer<Content.Chunk> later) {
        return new BodyReader(source, maxBytes, later).readAvailable();
    }

    /**
     * Jetty's {@code Content.Source.asByteArrayAsync} is not used: it keeps slices of the network buffers until
     * the body ends, and on a failure it completes (so the handler may run and answer) before it fails the
     * request, which then races the handler and the connection's next request.
     */
    private static final class BodyReader implements Runnable {
        private final Content.Source source;
        private final int maxBytes;
        private final Consumer<Content.Chunk> later;
        private byte[] bytes = new byte[1024];
        private int length;

        BodyReader(Content.Source source, int maxBytes, Consumer<Content.Chunk> later) {
            this.source = source;
            this.maxBytes = maxBytes;
            this.later = later;
        }

        /** The body or its failure, or null after demanding the rest (then {@code later} gets it). */
        Content.Chunk readAvailable() {
            while (true) {
                Content.Chunk chunk = source.read();
                if (chunk == null) {
                    source.demand(this);
                    return null;
                }
                if (Content.Chunk.isFailure(chunk)) { // even a transient one: the body is not coming whole
                    return Content.Chunk.from(chunk.getFailure(), true);
                }
                boolean last = chunk.isLast();
                int size = chunk.remaining();
                if (size > maxBytes - length) {
                    chunk.release();
                    return Content.Chunk.from(new IOException("the request body is over " + maxBytes + " bytes"),
                            true);
                }
                if (size > bytes.length - length) {
                    bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(2 * bytes.length, length + size)));
                }
                chunk.getByteBuffer().get(bytes, length, size);
                length += size;
                chunk.release();
                if (last) {
                    return Content.Chunk.from(ByteBuffer.wrap(bytes, 0, length), true);
                }
            }
        }

        @Override
        public void run() {
            Content.Chunk body = readAvailable();
            if (body != null) {
                later.accept(body);
            }
        }
    }

    private static boolean isMultipart(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type != null && MimeTypes.Type.MULTIPART_FORM_DATA.is(MimeTypes.getContentTypeWithoutCharset(type));
    }

    private void dispatch(Request request, Response response, Callback callback, Content.Chunk chunk) {
        try {
            if (!getHandler().handle(new BufferedRequest(request, chunk), response, callback)) {
                Response.writeError(request, response, callback, 404);
            }
        } catch (Throwable t) {
            Response.writeError(request, response, callback, t);
        }
    }

    /** The request with its body already read: one chunk (or the failure), then the end. */
    private static final class BufferedRequest extends Request.Wrapper {
        private Content.Chunk next;

        BufferedRequest(Request request, Content.Chunk body) {
            super(request);
            this.next = body;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = next;
            if (chunk == null) {
                return Content.Chunk.EOF;
            }
            if (!Content.Chunk.isFailure(chunk)) {
                next = null;
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            demandCallback.run(); // the body is all here
        }
    }
}
