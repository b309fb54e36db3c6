package io.pushgate.webapi.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A stored chat message, as pages see it: in REST answers and in pushed {@code message} frames. Exactly one of
 * {@code toUid} (1:1 and desk) and {@code groupId} is set; {@code clientMsgId} is the sender's idempotency key.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Message(long id, long fromUid, Long toUid, Long groupId, String type, String content,
                      Instant createdAt, String clientMsgId) {
}
