package io.pushgate.webapi.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.user.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session cache on the real sessions table, with a clock the test moves: sessions in use are checked again
 * together, in one query, and what the database no longer says (a logout elsewhere, a role change) is seen at the
 * next check, within {@link Sessions#CACHE_TTL}.
 */
class SessionsTest {
    static TestStack stack;
    final MovableClock clock = new MovableClock(Instant.now());
    final CountingDao dao = new CountingDao(stack.api.jdbi().onDemand(SessionDao.class));
    Sessions sessions;

    @BeforeAll
    static void start() {
        stack = TestStack.start(Map.of("DEMO_DATA", "false"));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @BeforeEach
    void newSessions() {
        sessions = new Sessions(dao, Duration.ofHours(1), clock);
    }

    @Test
    void sessionsInUseAreCheckedAgainTogetherNotOneByOne() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tokens.add(sessions.create(stack.newUser("buyer").uid));
        }
        tokens.forEach(t -> assertTrue(sessions.resolve(t).isPresent()));
        assertEquals(20, dao.finds.get(), "each session is looked up once when first seen");
        for (int step = 0; step < 12; step++) { // three seconds of requests, the revalidation every 250 ms
            clock.advance(Sessions.REVALIDATE_EVERY);
            sessions.revalidate();
            tokens.forEach(t -> assertTrue(sessions.resolve(t).isPresent()));
        }
        assertEquals(20, dao.finds.get(), "no request looked its session up again");
        assertTrue(dao.findAlls.get() >= 3 && dao.findAlls.get() <= 6,
                "three seconds of use took " + dao.findAlls.get() + " revalidation queries");
        assertEquals(dao.findAlls.get() * 20, dao.hashesAsked.get(), "each query asked about every session");
    }

    @Test
    void aSessionGoneFromTheDatabaseIsRefusedWithinTheTtl() {
        long uid = stack.newUser("buyer").uid;
        String token = sessions.create(uid);
        assertTrue(sessions.resolve(token).isPresent());
        Instant loggedOutElsewhere = clock.instant();
        stack.api.jdbi().useHandle(h -> h.execute("DELETE FROM sessions WHERE uid = ?", uid)); // as another instance
        while (sessions.resolve(token).isPresent()) {
            assertTrue(clock.instant().isBefore(loggedOutElsewhere.plus(Sessions.CACHE_TTL)),
                    "still trusted " + Sessions.CACHE_TTL + " after it left the database");
            clock.advance(Sessions.REVALIDATE_EVERY);
            sessions.revalidate();
        }
    }

    @Test
    void aRoleChangeIsSeenWithinTheTtl() {
        long uid = stack.newUser("buyer").uid;
        String token = sessions.create(uid);
        assertEquals(Role.BUYER, sessions.resolve(token).orElseThrow().role());
        Instant changed = clock.instant();
        stack.api.jdbi().useHandle(h -> h.execute("UPDATE users SET role = 'agent' WHERE uid = ?", uid));
        while (sessions.resolve(token).orElseThrow().role() != Role.AGENT) {
            assertTrue(clock.instant().isBefore(changed.plus(Sessions.CACHE_TTL)),
                    "the old role still trusted " + Sessions.CACHE_TTL + " after the change");
            clock.advance(Sessions.REVALIDATE_EVERY);
            sessions.revalidate();
        }
    }

    @Test
    void anUnusedSessionIsForgottenAndLookedUpAgainOnItsNextRequest() {
        String token = sessions.create(stack.newUser("buyer").uid);
        assertTrue(sessions.resolve(token).isPresent());
        for (int step = 0; step < 8; step++) { // two seconds without a request
            clock.advance(Sessions.REVALIDATE_EVERY);
            sessions.revalidate();
        }
        assertEquals(0, dao.findAlls.get(), "an unused session is not checked again");
        assertTrue(sessions.resolve(token).isPresent());
        assertEquals(2, dao.finds.get(), "its next request looks it up");
    }

    @Test
    void aLogoutHereIsNotUndoneByARevalidation() {
        String token = sessions.create(stack.newUser("buyer").uid);
        assertTrue(sessions.resolve(token).isPresent());
        clock.advance(Sessions.CACHE_TTL.minus(Sessions.REVALIDATE_EVERY));
        sessions.delete(token);
        sessions.revalidate();
        assertEquals(Optional.empty(), sessions.resolve(token));
    }

    /** The real DAO, counting the lookups. */
    static final class CountingDao implements SessionDao {
        final SessionDao real;
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger findAlls = new AtomicInteger();
        final AtomicInteger hashesAsked = new AtomicInteger();

        CountingDao(SessionDao real) {
            this.real = real;
        }

        @Override
        public void insert(byte[] tokenHash, long uid, Instant now, Instant expires) {
            real.insert(tokenHash, uid, now, expires);
        }

        @Override
        public Optional<SessionRow> find(byte[] tokenHash, Instant now) {
            finds.incrementAndGet();
            return real.find(tokenHash, now);
        }

        @Override
        public List<LiveSession> findAll(List<byte[]> tokenHashes, Instant now) {
            findAlls.incrementAndGet();
            hashesAsked.addAndGet(tokenHashes.size());
            return real.findAll(tokenHashes, now);
        }

        @Override
        public void delete(byte[] tokenHash) {
            real.delete(tokenHash);
        }

        @Override
        public int deleteExpired(Instant now) {
            return real.deleteExpired(now);
        }
    }

    /** A clock that moves only when told. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
