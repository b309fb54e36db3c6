package io.pushgate.webapi.http;

import java.net.URI;

/**
 * The Content-Security-Policy of the pages: scripts, styles, fonts and frames only from this origin and never
 * inline, images from this origin (uploads are served here too) and {@code data:} (the avatars and product
 * pictures are inline SVGs), connections to this origin and the push-server's WebSocket origin, no plugins, no
 * {@code <base>}, forms posting only here, and no framing by anyone.
 */
public final class ContentSecurityPolicy {
    private ContentSecurityPolicy() {
    }

    /** The policy for pages that connect to {@code wsUrl} (PUSH_PUBLIC_WS_URL, {@code ws://} or {@code wss://}). */
    public static String forPages(String wsUrl) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self' " + origin(wsUrl) + "; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'";
    }

    /** {@code ws://host:port/path} → {@code ws://host:port}. */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
