package io.pushgate.webapi.auth;

import io.pushgate.webapi.user.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session tokens: 256 random bits, URL-safe; only their SHA-256 is stored, so a leaked table grants nothing.
 *
 * <p>A resolved session (its uid and the user's role) is remembered in memory for {@link #CACHE_TTL}, which keeps
 * the sessions table off the hot path of a busy page: one primary-key lookup per token per second at most. Logging
 * out on this instance takes effect at once; on another web-api instance sharing the database, and so does a
 * change of the user's role, within {@link #CACHE_TTL}. No broadcast is needed for that, hence no Redis.
 */
public final class Sessions {
    /** How long a resolved session is trusted without asking the database: what a logout elsewhere waits at most. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 100_000;

    private final SessionDao dao;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Caller caller, Instant until) {
    }

    public Sessions(SessionDao dao, Duration ttl, Clock clock) {
        this.dao = dao;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** How long a new session lives. */
    public Duration ttl() {
        return ttl;
    }

    /** Starts a session for {@code uid} and returns its token. */
    public String create(long uid) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = now();
        dao.insert(hash(token), uid, now, now.plus(ttl));
        return token;
    }

    /** The caller a token belongs to, if it is a live session. */
    public Optional<Caller> resolve(String token) {
        Instant now = now();
        Cached cached = cache.get(token);
        if (cached != null && cached.until.isAfter(now)) {
            return Optional.of(cached.caller);
        }
        Optional<SessionDao.SessionRow> row = dao.find(hash(token), now);
        if (row.isEmpty()) {
            cache.remove(token);
            return Optional.empty();
        }
        Caller caller = new Caller(row.get().uid(), Role.of(row.get().role()));
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // crude bound; a miss only costs one primary-key lookup
        }
        Instant until = now.plus(CACHE_TTL);
        cache.put(token, new Cached(caller, until.isBefore(row.get().expiresAt()) ? until : row.get().expiresAt()));
        return Optional.of(caller);
    }

    /**
     * A short id of the session behind {@code token}, for the push-server to remember which session bound a
     * connection: neither the token nor its stored hash, so it opens nothing.
     */
    public static String publicId(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Arrays.copyOf(hash("pushgate-session-id:" + token), 12));
    }

    /** Ends a session (logout). */
    public void delete(String token) {
        cache.remove(token);
        dao.delete(hash(token));
    }

    /** Removes expired sessions from the table; returns how many. */
    public int purgeExpired() {
        return dao.deleteExpired(now());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
