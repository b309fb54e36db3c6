package io.pushgate.webapi.auth;

import io.pushgate.webapi.user.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session tokens: 256 random bits, URL-safe; only their SHA-256 is stored, so a leaked table grants nothing.
 *
 * <p>A resolved session (its uid and the user's role) is trusted in memory for at most {@link #CACHE_TTL} after
 * the database last said it is live. {@link #revalidate}, run every {@link #REVALIDATE_EVERY} by the app, asks
 * again for every session used since its last check that is about to run out of trust, in one query per
 * {@link #REVALIDATE_CHUNK} sessions: a busy page's requests never wait on the sessions table, and the table
 * sees a few queries a second however many users are active. A session the database no longer has (a logout on
 * another web-api instance, expiry) or whose user changed role is therefore refused or seen anew within
 * {@link #CACHE_TTL}; a logout on this instance takes effect at once. Sessions nobody used since their last check
 * are dropped from memory when their trust runs out, and looked up again on their next request. No broadcast is
 * needed for any of this, hence no Redis.
 */
public final class Sessions {
    /** How long a resolved session is trusted without asking the database: what a logout elsewhere waits at most. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    /** How often the app runs {@link #revalidate}. */
    public static final Duration REVALIDATE_EVERY = Duration.ofMillis(250);
    /** At most this many sessions per revalidation query. */
    static final int REVALIDATE_CHUNK = 500;
    private static final int MAX_CACHED = 100_000;

    private final SessionDao dao;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** A session the database said was live, trusted until {@code until}; {@code used} since that check. */
    private static final class Cached {
        final Caller caller;
        final byte[] hash;
        final Instant until;
        volatile boolean used;

        Cached(Caller caller, byte[] hash, Instant until) {
            this.caller = caller;
            this.hash = hash;
            this.until = until;
        }
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
            cached.used = true;
            return Optional.of(cached.caller);
        }
        byte[] hash = hash(token);
        Optional<SessionDao.SessionRow> row = dao.find(hash, now);
        if (row.isEmpty()) {
            cache.remove(token);
            return Optional.empty();
        }
        Caller caller = new Caller(row.get().uid(), Role.of(row.get().role()));
        if (cache.size() >= MAX_CACHED) {
            cache.clear(); // crude bound; a miss only costs one primary-key lookup
        }
        cache.put(token, new Cached(caller, hash, trustedUntil(now, row.get().expiresAt())));
        return Optional.of(caller);
    }

    /**
     * Asks the database again about every session used since its last check whose trust runs out within two
     * {@link #REVALIDATE_EVERY}, in one query per {@link #REVALIDATE_CHUNK}; drops the ones it no longer has and
     * those nobody used once their trust has run out. Returns how many sessions it asked about.
     */
    public int revalidate() {
        Instant now = now();
        Instant soon = now.plus(REVALIDATE_EVERY.multipliedBy(2));
        List<Map.Entry<String, Cached>> due = new ArrayList<>();
        for (Map.Entry<String, Cached> e : cache.entrySet()) {
            Cached c = e.getValue();
            if (c.until.isAfter(soon)) {
                continue;
            }
            if (c.used) {
                due.add(e);
            } else if (!c.until.isAfter(now)) {
                cache.remove(e.getKey(), c);
            }
        }
        for (int from = 0; from < due.size(); from += REVALIDATE_CHUNK) {
            List<Map.Entry<String, Cached>> chunk = due.subList(from, Math.min(due.size(), from + REVALIDATE_CHUNK));
            Map<ByteBuffer, SessionDao.LiveSession> live = new HashMap<>();
            for (SessionDao.LiveSession row : dao.findAll(chunk.stream().map(e -> e.getValue().hash).toList(), now)) {
                live.put(ByteBuffer.wrap(row.tokenHash()), row);
            }
            for (Map.Entry<String, Cached> e : chunk) {
                Cached old = e.getValue();
                SessionDao.LiveSession row = live.get(ByteBuffer.wrap(old.hash));
                if (row == null) {
                    cache.remove(e.getKey(), old);
                } else { // replace, not put: a logout meanwhile removed it, and it stays removed
                    cache.replace(e.getKey(), old, new Cached(new Caller(row.uid(), Role.of(row.role())), old.hash,
                            trustedUntil(now, row.expiresAt())));
                }
            }
        }
        return due.size();
    }

    private static Instant trustedUntil(Instant checked, Instant expiresAt) {
        Instant until = checked.plus(CACHE_TTL);
        return until.isBefore(expiresAt) ? until : expiresAt;
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
