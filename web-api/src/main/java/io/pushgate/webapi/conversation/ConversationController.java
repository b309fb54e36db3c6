package io.pushgate.webapi.conversation;

import io.javalin.http.Context;
import io.pushgate.webapi.auth.Authenticator;

/** GET /api/conversations: the caller's conversation list ({@link ConversationService}). */
public final class ConversationController {
    private final ConversationService service;
    private final Authenticator auth;

    public ConversationController(ConversationService service, Authenticator auth) {
        this.service = service;
        this.auth = auth;
    }

    public void list(Context ctx) {
        ctx.json(service.of(auth.require(ctx)));
    }
}
