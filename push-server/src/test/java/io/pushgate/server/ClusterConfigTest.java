package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    @Test
    void redisSettingsDefault() {
        ServerConfig config = ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s"));
        assertEquals(null, config.redisUri());
        assertEquals("pushgate:", config.redisPrefix());
        assertEquals(1000, config.redisHeartbeatMillis());
    }

    @Test
    void redisSettingsAreRead() {
        ServerConfig config = ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "PUSH_REDIS_URI", "redis://10.0.0.5:6379", "PUSH_NODE_ID", "push-2",
                "PUSH_REDIS_PREFIX", "chat:", "PUSH_REDIS_HEARTBEAT_MS", "500"));
        assertEquals("redis://10.0.0.5:6379", config.redisUri());
        assertEquals("push-2", config.nodeId());
        assertEquals("chat:", config.redisPrefix());
        assertEquals(500, config.redisHeartbeatMillis());
    }

    @Test
    void aHeartbeatOutOfRangeIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "PUSH_REDIS_HEARTBEAT_MS", "10")));
        assertTrue(e.getMessage().contains("PUSH_REDIS_HEARTBEAT_MS"), e.getMessage());
    }

    @Test
    void anUnreachableRedisStopsTheServerWithAClearMessage() {
        ServerConfig config = ServerConfig.forTesting("s", Map.of("PUSH_REDIS_URI", "redis://127.0.0.1:1"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> PushServer.start(config));
        assertTrue(e.getMessage().contains("cannot connect to Redis at 127.0.0.1:1"), e.getMessage());
    }
}
