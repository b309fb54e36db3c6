package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.server.ServerConfig;
import io.pushgate.server.broker.DeliveryHandler;
import io.pushgate.server.hub.ClientIdGenerator;
import io.pushgate.server.hub.OutboundFrame;
import io.pushgate.server.presence.Presence;
import io.pushgate.server.presence.PresenceContract;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The Presence contract against Redis, on one node of a cluster of its own. */
class RedisPresenceTest extends PresenceContract {
    static final DeliveryHandler NO_CONNECTIONS = new DeliveryHandler() {
        @Override
        public int deliverLocal(Collection<String> clientIds, OutboundFrame frame) {
            return 0;
        }

        @Override
        public int deliverLocalToAll(OutboundFrame frame, Set<String> excludeClientIds) {
            return 0;
        }

        @Override
        public boolean closeLocal(String clientId, OutboundFrame lastFrame) {
            return false;
        }
    };

    private final String prefix = RedisTestSupport.newPrefix();
    private final ClientIdGenerator ids = new ClientIdGenerator("p1");
    private RedisBackend backend;

    @Override
    protected Presence newPresence() {
        RedisTestSupport.assumeRedis(); // here: the contract's @BeforeEach runs before any of this class
        ServerConfig config = ServerConfig.forTesting("secret", RedisTestSupport.clusterNode("p1", prefix));
        JsonMapper json = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        backend = RedisBackend.start(config, NO_CONNECTIONS, json, () -> { });
        return backend.presence();
    }

    @Override
    protected String newClientId() {
        return ids.next();
    }

    @AfterEach
    void cleanUp() {
        if (backend != null) {
            backend.close();
            RedisTestSupport.deleteKeys(prefix);
        }
    }

    @Test
    void leavingTheClusterLeavesNoKeysEvenPastOnePurgeBatch() throws Exception {
        int clients = NodeRegistry.PURGE_BATCH * 2 + 10;
        for (int i = 0; i < clients; i++) {
            String id = newClientId();
            presence.addClient(id, 1L, "u" + i % 7);
            presence.joinGroup(id, "g" + i % 3);
        }
        presence.setSession(newClientIdAdded(), java.util.Map.of("a", 1));
        assertEquals(clients + 1, presence.clientCount());
        assertEquals(1, presence.nodeCount());
        backend.close();
        assertEquals(List.of(), RedisTestSupport.keys(prefix));
    }

    private String newClientIdAdded() {
        String id = newClientId();
        presence.addClient(id, 1L, null);
        return id;
    }
}
