package io.pushgate.server.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.pushgate.server.BackendUnavailableException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of the cluster, and the removal of nodes that died.
 *
 * <p>Every heartbeat period H (PUSH_REDIS_HEARTBEAT_MS) the node records a beat at Redis's own clock; every H/2 it
 * sweeps: any other registered node whose last beat is more than 2.5 H old is purged, its clients removed from
 * their uids and groups. A node that dies right after a heartbeat is thus gone from every listing within 3 H. Each
 * node sweeps, and a sweep is one atomic script, so whichever node comes first does the work once.
 *
 * <p>A beat ages as fast while Redis is paused, or while the sweeper itself stalls, as while its node is dead. So
 * a sweeper judges only after its own sweeps have reached Redis for 2.5 H with no gap longer than H: a pause of
 * Redis (or of the sweeper) restarts that wait, during which every live node beats again, and no live node is
 * purged. A node that runs steadily is past the wait, so it purges the dead on time.
 *
 * <p>At start the node purges whatever a previous run under the same node id left behind, so a restarted node
 * starts clean. If a later heartbeat finds the node no longer registered (others saw it silent for 2.5 H, or Redis
 * lost its data), it registers again and the connections it held then are no longer known to the cluster: it calls
 * {@code onRegistrationLost}, again at each tick until that returns normally, which closes those connections so
 * that their clients reconnect and are bound again; connections registered since are kept.
 */
final class NodeRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    private static final LuaScript ANNOUNCE = LuaScript.load("announce");
    private static final LuaScript SWEEP = LuaScript.load("sweep");
    private static final LuaScript PURGE_NODE = LuaScript.load("purge_node");
    /** Clients removed per script run when purging a node: Redis serves no one else while a script runs. */
    static final int PURGE_BATCH = 1000;
    private static final String PURGE_BATCH_ARG = Integer.toString(PURGE_BATCH);

    private final RedisCommands<String, String> redis;
    private final String prefix;
    private final String nodeId;
    private final long heartbeatMillis;
    /** 2.5 H in ms: how long a node may go without a beat before it is dead (and its legacy key's TTL). */
    private final String deadAfterArg;
    private final RedisPresence presence;
    private final Runnable onRegistrationLost;
    private final ScheduledExecutorService scheduler;
    private long ticks;
    private boolean failing;
    private boolean forgotten;

    NodeRegistry(RedisCommands<String, String> redis, String prefix, String nodeId, long heartbeatMillis,
                 RedisPresence presence, Runnable onRegistrationLost) {
        this.redis = redis;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.heartbeatMillis = heartbeatMillis;
        this.deadAfterArg = Long.toString(heartbeatMillis * 5 / 2);
        this.presence = presence;
        this.onRegistrationLost = onRegistrationLost;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pushgate-heartbeat-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Purges this node id's leftovers, announces the node and starts the heartbeat. */
    void start() {
        long stale = purgeSelf();
        if (stale > 0) {
            log.warn("node {}: removed {} clients left in Redis by a previous run under this node id", nodeId, stale);
        }
        announce();
        long half = Math.max(1, heartbeatMillis / 2);
        scheduler.scheduleAtFixedRate(this::tick, half, half, TimeUnit.MILLISECONDS);
    }

    /** Stops the heartbeat without a word to the cluster, as a crash would. */
    void halt() {
        scheduler.shutdownNow();
    }

    /** Stops the heartbeat and leaves the cluster: this node and any client still registered on it are removed. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            purgeSelf();
        } catch (RedisException e) {
            log.warn("node {}: could not leave the cluster cleanly ({}); the others will purge it when its "
                    + "heartbeat expires", nodeId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        try {
            if (ticks++ % 2 == 0 || failing) {
                if (announce()) {
                    log.warn("node {}: its registration in Redis was lost (silent past its heartbeat TTL, or Redis "
                            + "lost its data); closing the connections the cluster forgot", nodeId);
                    forgotten = true;
                }
            }
            if (forgotten) {
                onRegistrationLost.run(); // until it succeeds
                forgotten = false;
            }
            sweep();
            presence.retryPendingRemovals();
            if (failing) {
                failing = false;
                log.info("node {}: Redis is reachable again", nodeId);
            }
        } catch (RedisException | BackendUnavailableException e) {
            if (!failing) {
                failing = true;
                log.warn("node {}: Redis unreachable, heartbeat retrying every {} ms: {}", nodeId,
                        Math.max(1, heartbeatMillis / 2), e.getMessage());
            }
        } catch (RuntimeException e) {
            log.error("node {}: heartbeat failed", nodeId, e);
        }
    }

    /** Purges every node whose heartbeat expired, a batch of clients per node and script run. */
    private void sweep() {
        List<Object> reply = runSweep();
        List<?> dead = (List<?>) reply.get(0);
        long unfinished = (Long) reply.get(1);
        while (unfinished > 0) {
            unfinished = (Long) runSweep().get(1);
        }
        if (!dead.isEmpty()) {
            log.warn("node {}: purged dead nodes {} (heartbeat expired)", nodeId, dead);
        }
    }

    /** One run of the sweep script: a node is dead after 2.5 H without a beat; a gap over H in our sweeps resets. */
    private List<Object> runSweep() {
        return SWEEP.run(redis, ScriptOutputType.MULTI, prefix, PURGE_BATCH_ARG, nodeId, deadAfterArg,
                Long.toString(heartbeatMillis));
    }

    /** Removes this node and every client registered under its id; returns how many clients there were. */
    private long purgeSelf() {
        long total = 0;
        long batch;
        do {
            batch = PURGE_NODE.run(redis, ScriptOutputType.INTEGER, prefix, nodeId, PURGE_BATCH_ARG);
            total += batch;
        } while (batch == PURGE_BATCH);
        return total;
    }

    /** Refreshes the heartbeat; true when the node was not registered. */
    private boolean announce() {
        long added = ANNOUNCE.run(redis, ScriptOutputType.INTEGER, prefix, nodeId, deadAfterArg);
        return added == 1;
    }
}
