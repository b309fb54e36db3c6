package io.pushgate.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the push-server knows about one connection, from {@link PushClient#getClientInfo(String)}: the fields of
 * {@code get_client_info}'s answer.
 *
 * @param online whether the connection is open; when false every other field is empty
 * @param uid the uid it is bound to, or null
 * @param groups the groups it has joined
 * @param session its session (empty until one is set), or null when it is offline
 * @param connectedAt when it connected, or null when it is offline
 */
public record ClientInfo(boolean online, String uid, List<String> groups, Map<String, Object> session,
                         Instant connectedAt) {

    /** Copies {@code groups} and {@code session} so the record stays immutable (a session value may be null). */
    public ClientInfo {
        groups = List.copyOf(groups);
        session = session == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(session));
    }
}
