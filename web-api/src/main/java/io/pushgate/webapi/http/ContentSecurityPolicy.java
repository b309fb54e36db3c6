package io.pushgate.webapi.http;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Content-Security-Policy of the pages: scripts, styles, fonts and frames only from this origin and never
 * inline, images from this origin (uploads are served here too) and {@code data:} (the avatars and product
 * pictures are inline SVGs), connections to this origin and the push-server nodes' WebSocket origins, no plugins, no
 * {@code <base>}, forms posting only here, and no framing by anyone.
 */
public final class ContentSecurityPolicy {
    private ContentSecurityPolicy() {
    }

    /**
     * The policy for pages that connect to any of {@code wsUrls} (PUSH_PUBLIC_WS_URL, {@code ws://} or
     * {@code wss://}): each distinct origin once, in the given order.
     */
    public static String forPages(List<String> wsUrls) {
        String origins = wsUrls.stream().map(ContentSecurityPolicy::origin).distinct()
                .collect(Collectors.joining(" "));
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self' " + origins + "; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors 'none'";
    }

    /** {@code ws://host:port/path} → {@code ws://host:port}. */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }
}
