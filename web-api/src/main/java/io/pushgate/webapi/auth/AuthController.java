package io.pushgate.webapi.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.http.RateLimiter;
import io.pushgate.webapi.http.RequestBodies;
import io.pushgate.webapi.push.PushChannel;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /api/login, POST /api/logout, GET /api/me.
 *
 * <p>Login attempts are throttled per username and per client address (the socket's remote address; no
 * forwarding header is trusted) before any password is checked: past the budget, 429 {@code rate_limited} with
 * Retry-After. An unknown username is counted, answered and timed exactly like a known one, so the answers do
 * not tell which usernames exist. A successful login resets its username's count and does not count against
 * its address (many users may share one).
 */
public final class AuthController {
    /**
     * A cookie pages can read, set and cleared with the session's (HttpOnly) cookie: it tells a page that there may
     * be a session, so that a signed-out visit asks for none and logs no 401. A hint only: it holds no secret, and
     * the session cookie alone signs a request in.
     */
    public static final String SIGNED_IN_HINT = "pushgate_signed_in";
    private static final Logger log = LoggerFactory.getLogger(AuthController.class);
    private final UserDao users;
    private final Sessions sessions;
    private final PasswordHasher hasher;
    private final RequestBodies bodies;
    private final PushChannel push;
    private final RateLimiter perUsername;
    private final RateLimiter perAddress;

    /** The login body. */
    public record LoginRequest(String username, String password) {
    }

    /** The login answer: the token (also set as a cookie) and who logged in. */
    public record LoginResponse(String token, User user) {
    }

    public AuthController(UserDao users, Sessions sessions, PasswordHasher hasher, RequestBodies bodies,
                          PushChannel push, RateLimiter perUsername, RateLimiter perAddress) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.bodies = bodies;
        this.push = push;
        this.perUsername = perUsername;
        this.perAddress = perAddress;
    }

    public void login(Context ctx) {
        LoginRequest request = bodies.read(ctx, LoginRequest.class);
        if (request.username() == null || request.password() == null) {
            throw ApiException.badRequest("username and password are required");
        }
        String address = ctx.req().getRemoteAddr();
        perAddress.acquire(address);
        if (request.username().length() > 64 || request.password().length() > 200) {
            throw ApiException.unauthorized("wrong username or password");
        }
        String usernameKey = request.username().toLowerCase(Locale.ROOT); // usernames compare case-insensitively
        perUsername.acquire(usernameKey);
        var credentials = users.credentials(request.username());
        if (credentials.isEmpty()) {
            hasher.waste(request.password());
            throw ApiException.unauthorized("wrong username or password");
        }
        if (!hasher.matches(request.password(), credentials.get().password())) {
            throw ApiException.unauthorized("wrong username or password");
        }
        perUsername.reset(usernameKey);
        perAddress.refund(address); // the address budget counts failures: many users may share one address
        long uid = credentials.get().uid();
        String token = sessions.create(uid);
        int ttl = (int) sessions.ttl().toSeconds();
        ctx.cookie(cookie(ctx, SIGNED_IN_HINT, "1", ttl, false));
        ctx.cookie(cookie(ctx, Authenticator.COOKIE, token, ttl, true));
        ctx.json(new LoginResponse(token, users.find(uid).orElseThrow()));
    }

    /**
     * Ends the session and closes (1000) the live connections it bound. The push-server being down does not stop
     * a logout: the session is gone either way, and so are those connections' binds once they reconnect.
     */
    public void logout(Context ctx) {
        Caller caller = Access.caller(ctx);
        String token = Authenticator.token(ctx);
        sessions.delete(token);
        ctx.cookie(cookie(ctx, SIGNED_IN_HINT, "", 0, false));
        ctx.cookie(cookie(ctx, Authenticator.COOKIE, "", 0, true));
        try {
            push.closeSession(caller.pushUid(), Sessions.publicId(token));
        } catch (PushChannel.PushUnavailableException e) {
            log.warn("uid {} logged out, but its connections could not be closed: {}", caller.uid(), e.getMessage());
        }
        ctx.status(204);
    }

    public void me(Context ctx) {
        Caller caller = Access.caller(ctx);
        ctx.json(users.find(caller.uid()).orElseThrow(() -> ApiException.unauthorized("the user no longer exists")));
    }

    private static Cookie cookie(Context ctx, String name, String value, int maxAgeSeconds, boolean httpOnly) {
        boolean https = "https".equalsIgnoreCase(ctx.scheme())
                || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
        return new Cookie(name, value, "/", maxAgeSeconds, https, httpOnly, null, SameSite.STRICT);
    }
}
