package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * sweep.lua on states written by hand against Redis's clock, with H = 100 ms (dead after 250 ms without a beat,
 * a gap over 100 ms between two sweeps restarts the sweeper's wait): who is purged, and when the sweeper holds off.
 */
class SweepScriptTest {
    static final LuaScript SWEEP = LuaScript.load("sweep");
    static final String DEAD_AFTER = "250";
    static final String MAX_GAP = "100";

    final String prefix = RedisTestSupport.newPrefix();
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> redis;

    @BeforeEach
    void connect() {
        RedisTestSupport.assumeRedis();
        client = RedisClient.create(RedisTestSupport.URI);
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterEach
    void clean() {
        if (client != null) {
            RedisTestSupport.deleteKeys(prefix);
            connection.close();
            client.shutdown();
        }
    }

    long now() {
        List<String> time = redis.time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    void node(String id, Long beatAgo) {
        redis.sadd(prefix + "nodes", id);
        if (beatAgo != null) {
            redis.zadd(prefix + "beats", now() - beatAgo, id);
        }
    }

    /** The sweeper's own record: its last sweep {@code lastAgo} ms ago, unbroken since {@code sinceAgo} ms. */
    void sweeper(String id, long lastAgo, long sinceAgo) {
        node(id, 0L);
        long now = now();
        redis.hset(prefix + "node:" + id + ":sweeps", "last", Long.toString(now - lastAgo));
        redis.hset(prefix + "node:" + id + ":sweeps", "since", Long.toString(now - sinceAgo));
    }

    List<?> sweepBy(String sweeper) {
        List<Object> reply = SWEEP.run(redis, ScriptOutputType.MULTI, prefix, "1000", sweeper, DEAD_AFTER, MAX_GAP);
        return (List<?>) reply.get(0);
    }

    boolean registered(String id) {
        return redis.sismember(prefix + "nodes", id);
    }

    @Test
    void aSteadySweeperPurgesANodeSilentPastTwoAndAHalfBeatsAndKeepsTheOthers() {
        sweeper("me", 40, 10_000);
        node("dead", 400L);
        node("late", 200L); // missed a beat, still within 2.5 H
        redis.sadd(prefix + "node:dead:clients", "dead.c1");
        redis.hset(prefix + "client:dead.c1", "node", "dead");

        assertEquals(List.of("dead"), sweepBy("me"));
        assertFalse(registered("dead"));
        assertEquals(0, redis.exists(prefix + "client:dead.c1"), "its clients go with it");
        assertEquals(null, redis.zscore(prefix + "beats", "dead"));
        assertTrue(registered("late"));
        assertTrue(registered("me"));
    }

    @Test
    void aSweeperBackFromAGapJudgesNobodyUntilItHasSweptSteadilyForTwoAndAHalfBeats() {
        sweeper("me", 5_000, 60_000); // its previous sweep reached Redis 5 s ago: Redis (or it) was paused
        node("other", 5_000L);        // every beat aged with the pause

        assertEquals(List.of(), sweepBy("me"));
        assertTrue(registered("other"), "not purged: it had no chance to beat since the pause");
        long since = Long.parseLong(redis.hget(prefix + "node:me:sweeps", "since"));
        assertTrue(now() - since < 100, "the wait starts again now");

        assertEquals(List.of(), sweepBy("me"), "a sweep right after: still waiting");
        sweeper("me", 40, 300); // 2.5 H of steady sweeps later, "other" never beat again: really gone
        assertEquals(List.of("other"), sweepBy("me"));
    }

    @Test
    void aSweeperNeverPurgesItself() {
        sweeper("me", 40, 10_000);
        redis.zadd(prefix + "beats", now() - 10_000, "me"); // its own beat is old (its announce failed)
        assertEquals(List.of(), sweepBy("me"));
        assertTrue(registered("me"));
    }

    @Test
    void aNodeOfThePreviousReleaseIsJudgedByItsTtlKey() {
        sweeper("me", 40, 10_000);
        node("old-alive", null);
        redis.psetex(prefix + "node:old-alive:alive", 10_000, "1");
        node("old-dead", null);

        assertEquals(List.of("old-dead"), sweepBy("me"));
        assertTrue(registered("old-alive"));
    }
}
