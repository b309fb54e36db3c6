package io.pushgate.server.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Redis the cluster tests run against: {@code redis://127.0.0.1:6379}, or the URI in the environment
 * variable PUSHGATE_TEST_REDIS_URI. Tests skip, with the reason, when it cannot be reached. Each test run uses
 * its own key prefix, so tests may share the Redis with others, and removes its keys afterwards.
 */
public final class RedisTestSupport {
    public static final String URI = System.getenv().getOrDefault("PUSHGATE_TEST_REDIS_URI", "redis://127.0.0.1:6379");

    private RedisTestSupport() {
    }

    /** Skips the calling test when no Redis answers at {@link #URI}. */
    public static void assumeRedis() {
        RedisURI uri = RedisURI.create(URI);
        boolean reachable;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 500);
            reachable = true;
        } catch (IOException e) {
            reachable = false;
        }
        Assumptions.assumeTrue(reachable, "no Redis at " + uri.getHost() + ":" + uri.getPort()
                + ": cluster tests skipped (set PUSHGATE_TEST_REDIS_URI to run them)");
    }

    /**
     * The settings of cluster node {@code nodeId} on this Redis under {@code prefix}, for
     * {@code ServerConfig.forTesting(secret, clusterNode(...))}.
     */
    public static Map<String, String> clusterNode(String nodeId, String prefix) {
        return Map.of("PUSH_REDIS_URI", URI, "PUSH_NODE_ID", nodeId, "PUSH_REDIS_PREFIX", prefix);
    }

    /** A key prefix no other test run uses. */
    public static String newPrefix() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        return "pushgate:test:" + HexFormat.of().formatHex(random) + ":";
    }

    /** The keys under {@code prefix}. */
    public static List<String> keys(String prefix) {
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            return keys;
        } finally {
            client.shutdown();
        }
    }

    /** Deletes every key under {@code prefix}. */
    public static void deleteKeys(String prefix) {
        List<String> keys = keys(prefix);
        if (keys.isEmpty()) {
            return;
        }
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().unlink(keys.toArray(String[]::new));
        } finally {
            client.shutdown();
        }
    }
}
