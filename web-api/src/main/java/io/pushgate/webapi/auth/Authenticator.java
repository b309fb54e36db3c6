package io.pushgate.webapi.auth;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import io.pushgate.webapi.http.ApiException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the caller of a request from its session token, sent either as {@code Authorization: Bearer <token>} or
 * as the {@value #COOKIE} cookie.
 *
 * <p>A write authenticated by the cookie must come from the app's own pages: a browser sends the cookie only to
 * same-site requests (SameSite=Strict), and on top of that a request whose {@code Origin} is another origin, or
 * whose {@code Sec-Fetch-Site} says cross-site, is refused with 403 {@code cross_site_request}. A bearer token is
 * never sent by a browser on its own, so it needs no such check.
 *
 * <p>{@link #check} is the app's one access check: it runs before every matched route and enforces the route's
 * {@link Access}.
 */
public final class Authenticator {
    /** The session cookie's name. */
    public static final String COOKIE = "pushgate_session";

    private final Sessions sessions;

    public Authenticator(Sessions sessions) {
        this.sessions = sessions;
    }

    /**
     * Enforces the matched route's {@link Access} (a {@code beforeMatched} handler, so it runs after the
     * {@code before} checks of the request's shape and before the handler): nothing for {@link Access#PUBLIC};
     * otherwise the caller from the session, or 401 {@code unauthorized}, who must have one of the route's roles,
     * or 403 {@code forbidden}. The caller is then {@link Access#caller}. Static pages match no route and are
     * public. A route that declares no {@link Access} is a programming error (500); {@code AccessTest} keeps every
     * route declared.
     */
    public void check(Context ctx) {
        if (ctx.endpoints().matchedHttpEndpoint() == null) {
            return; // a static page or asset, not a route
        }
        Access access = accessOf(ctx.routeRoles());
        if (!access.needsSession()) {
            return;
        }
        Caller caller = authenticate(ctx);
        if (!access.admits(caller.role())) {
            throw ApiException.forbidden(access.refusal());
        }
        Access.remember(ctx, caller);
    }

    private static Access accessOf(Set<RouteRole> roles) {
        if (roles.size() == 1 && roles.iterator().next() instanceof Access access) {
            return access;
        }
        throw new IllegalStateException("a route must declare exactly one Access, not " + roles);
    }

    private Caller authenticate(Context ctx) {
        String token = bearerToken(ctx);
        boolean fromCookie = false;
        if (token == null) {
            token = ctx.cookie(COOKIE);
            fromCookie = true;
        }
        if (token == null || token.isEmpty()) {
            throw ApiException.unauthorized("log in first: no session token");
        }
        Caller caller = sessions.resolve(token)
                .orElseThrow(() -> ApiException.unauthorized("the session has expired or does not exist"));
        if (fromCookie && isWrite(ctx)) {
            refuseCrossSite(ctx);
        }
        return caller;
    }

    /** The token this request carries, if any (for logout). */
    public static String token(Context ctx) {
        String bearer = bearerToken(ctx);
        return bearer != null ? bearer : ctx.cookie(COOKIE);
    }

    private static String bearerToken(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        return null;
    }

    private static boolean isWrite(Context ctx) {
        HandlerType method = ctx.method();
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    /**
     * 403 {@code cross_site_request} unless the request comes from this site's own pages or from no browser page
     * at all (no {@code Origin}, {@code Sec-Fetch-Site} {@code same-origin} or {@code none}). Every
     * cookie-authenticated write passes here, and so does the login, which has no session yet: another site must
     * not sign a visitor in to an account of its choosing.
     */
    public static void refuseCrossSite(Context ctx) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            throw crossSite();
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return; // not a browser, or a browser old enough to send neither header: SameSite still applies
        }
        String host = ctx.header("Host");
        try {
            URI uri = URI.create(origin);
            String authority = uri.getAuthority();
            if (host == null || authority == null
                    || !authority.toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT))) {
                throw crossSite();
            }
        } catch (IllegalArgumentException e) {
            throw crossSite();
        }
    }

    private static ApiException crossSite() {
        return new ApiException(403, "cross_site_request",
                "a cookie-authenticated write must come from this site's own pages");
    }
}
