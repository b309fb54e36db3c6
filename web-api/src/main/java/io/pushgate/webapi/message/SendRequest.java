package io.pushgate.webapi.message;

/**
 * The body of POST /api/messages. Exactly one of {@code toUid} and {@code groupId}; {@code fromDesk} lets an agent
 * answer as the desk. There is no sender field: the sender is the session's user.
 */
public record SendRequest(Long toUid, Long groupId, String type, String content, String clientMsgId,
                          Boolean fromDesk) {
}
