package io.pushgate.server.presence;

import java.util.Map;
import java.util.Set;

/**
 * What is known of one connected client.
 *
 * @param clientId    its client_id
 * @param uid         the uid it is bound to, or null
 * @param groups      the groups it is in
 * @param session     its session map (never null; empty when unset)
 * @param connectedAt when it connected, epoch milliseconds
 */
public record ClientInfo(String clientId, String uid, Set<String> groups, Map<String, Object> session,
                         long connectedAt) {
}
