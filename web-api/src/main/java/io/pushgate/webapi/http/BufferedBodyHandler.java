package io.pushgate.webapi.http;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * (Jetty's {@link Content.Source#asByteArrayAsync}), so handlers that read with blocking I/O never wait on the
 * network. The bytes are copied and each network buffer released at once. Multipart bodies (uploads, up to 5 MB)
 * and bodies that announce more than {@code maxBytes} go straight to the next handler: it checks the login, or
 * the size, first. A body that fails to arrive (cut off, ended early) reaches the handler as that failure.
 *
 * <p>Jetty's own {@code EagerContentHandler} does this by retaining the network buffers, which under the fuzz
 * test made Jetty release a buffer twice; copying at most 64 KB is simpler.
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
     * all arrived, else returns null and hands it to {@code later} once it has.
     */
    static Content.Chunk readBody(Content.Source source, int maxBytes, Consumer<Content.Chunk> later) {
        CompletableFuture<byte[]> body = Content.Source.asByteArrayAsync(source, maxBytes);
        if (body.isDone()) {
            return toChunk(body);
        }
        body.whenComplete((bytes, failure) -> later.accept(toChunk(body)));
        return null;
    }

    private static Content.Chunk toChunk(CompletableFuture<byte[]> body) {
        try {
            return Content.Chunk.from(ByteBuffer.wrap(body.join()), true);
        } catch (CompletionException e) {
            return Content.Chunk.from(e.getCause() == null ? e : e.getCause(), true);
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
