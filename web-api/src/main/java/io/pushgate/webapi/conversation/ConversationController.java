package io.pushgate.webapi.conversation;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Access;

/** GET /api/conversations: the caller's conversation list ({@link ConversationService}). */
public final class ConversationController {
    private final ConversationService service;

    public ConversationController(ConversationService service) {
        this.service = service;
    }

    public void list(Context ctx) {
        ctx.json(service.of(Access.caller(ctx)));
    }
}
