package io.pushgate.webapi.auth;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.pushgate.webapi.user.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route. Every route in {@code WebApi.routes} declares exactly one, and {@link Authenticator#check}
 * enforces it before the handler runs, so the routes table is the API's access table:
 *
 * <pre>{@code
 * get("/api/config", pageConfig, PUBLIC);
 * get("/api/me", auth::me, SIGNED_IN);
 * get("/api/admin/online", admin::online, ADMIN);
 * }</pre>
 *
 * <p>A handler behind {@link #SIGNED_IN} or {@link #ADMIN} gets its caller with {@link #caller}. Rules that depend
 * on the request itself (only desk staff may read or answer as the desk, only members read a room) stay with the
 * feature that owns them.
 */
public enum Access implements RouteRole {
    /** Anyone, signed in or not; no session is looked up. */
    PUBLIC(false, EnumSet.allOf(Role.class)),
    /** Any signed-in user, whatever their role; without a valid session 401 {@code unauthorized}. */
    SIGNED_IN(true, EnumSet.allOf(Role.class)),
    /** Admin accounts; any other signed-in user gets 403 {@code forbidden}. */
    ADMIN(true, EnumSet.of(Role.ADMIN));

    private static final String CALLER = Access.class.getName() + ".caller";

    private final boolean signedIn;
    private final Set<Role> roles;

    Access(boolean signedIn, Set<Role> roles) {
        this.signedIn = signedIn;
        this.roles = roles;
    }

    /** The caller of a route that is not {@link #PUBLIC}, as the access check found it. */
    public static Caller caller(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException(ctx.method() + " " + ctx.path() + " is not a signed-in route");
        }
        return caller;
    }

    boolean needsSession() {
        return signedIn;
    }

    boolean admits(Role role) {
        return roles.contains(role);
    }

    /** The 403's message, e.g. "only admin accounts may do this". */
    String refusal() {
        return "only " + String.join(" and ", roles.stream().map(Role::value).toList()) + " accounts may do this";
    }

    static void remember(Context ctx, Caller caller) {
        ctx.attribute(CALLER, caller);
    }
}
