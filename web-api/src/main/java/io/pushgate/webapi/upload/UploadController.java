package io.pushgate.webapi.upload;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.pushgate.webapi.auth.Access;
import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import java.io.IOException;
import java.io.InputStream;

/**
 * POST /api/uploads (multipart, field {@code file}): an image of at most {@value #MAX_BYTES} bytes, recognised by
 * its bytes as PNG, JPEG, GIF or WebP; answers 201 {"url"}. GET /uploads/{name} serves it with its type and
 * {@code nosniff}, from whichever instance stored it ({@link UploadStore}).
 */
public final class UploadController {
    /** The largest image accepted: 5 MiB. */
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    /** The largest multipart request: the image and room for the multipart framing. */
    public static final long MAX_REQUEST_BYTES = MAX_BYTES + 64 * 1024;

    private final UploadStore store;
    private final RateLimiter rateLimiter;

    /** Where the stored image is served. */
    public record Uploaded(String url) {
    }

    public UploadController(UploadStore store, RateLimiter rateLimiter) {
        this.store = store;
        this.rateLimiter = rateLimiter;
    }

    public void upload(Context ctx) throws IOException {
        Caller caller = Access.caller(ctx);
        if (!ctx.isMultipartFormData()) {
            throw new ApiException(415, "unsupported_media_type", "send the image as multipart/form-data, field 'file'");
        }
        if (ctx.req().getContentLengthLong() > MAX_REQUEST_BYTES) {
            throw tooLarge();
        }
        rateLimiter.acquire(caller.uid());
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (Exception e) { // Jetty refuses a part over the configured size while parsing, as a bad message
            throw ctx.req().getContentLengthLong() > MAX_BYTES
                    ? tooLarge() : ApiException.badRequest("malformed multipart body");
        }
        if (file == null) {
            throw ApiException.badRequest("the multipart field 'file' is required");
        }
        if (file.size() > MAX_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge();
        }
        ImageType type = ImageType.sniff(bytes).orElseThrow(() -> new ApiException(415, "unsupported_media_type",
                "only PNG, JPEG, GIF and WebP images are accepted"));
        ctx.status(201).json(new Uploaded(store.store(bytes, type).url()));
    }

    public void serve(Context ctx) throws IOException {
        UploadName name = UploadName.ofFileName(ctx.pathParam("name"))
                .orElseThrow(() -> ApiException.notFound("no such upload"));
        UploadStore.Stored stored = store.open(name).orElseThrow(() -> ApiException.notFound("no such upload"));
        ctx.header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .contentType(stored.type().mediaType())
                .result(stored.content());
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "images are limited to 5 MB");
    }
}
