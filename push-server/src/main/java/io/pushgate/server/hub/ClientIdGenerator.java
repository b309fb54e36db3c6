package io.pushgate.server.hub;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes client_ids: {@code <node id>.<22 URL-safe characters>}.
 *
 * <p>The random part is 128 bits from a CSPRNG, so a client_id cannot be guessed and, in practice, never repeats;
 * the hub still refuses a duplicate. The node id prefix lets any node of a cluster route a per-client call to the
 * node holding the connection without a lookup.
 */
public final class ClientIdGenerator {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private final SecureRandom random = new SecureRandom();
    private final String prefix;

    public ClientIdGenerator(String nodeId) {
        this.prefix = nodeId + ".";
    }

    public String next() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + BASE64URL.encodeToString(bytes);
    }

    /** The node id in a client_id, or null when it has none. */
    public static String nodeOf(String clientId) {
        int dot = clientId.indexOf('.');
        return dot <= 0 ? null : clientId.substring(0, dot);
    }
}
