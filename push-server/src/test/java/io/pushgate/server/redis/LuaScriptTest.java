package io.pushgate.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A script Redis has never seen (as after a Redis restart, which empties its script cache) still runs. */
class LuaScriptTest {

    @Test
    void aScriptRedisDoesNotKnowIsSentWholeOnce() throws Exception {
        RedisTestSupport.assumeRedis();
        String nonce = UUID.randomUUID().toString(); // a body, and so a SHA, that no Redis has cached
        LuaScript script = LuaScript.of("echo", "return P .. ARGV[2] .. '" + nonce + "'");
        RedisClient client = RedisClient.create(RedisTestSupport.URI);
        try (StatefulRedisConnection<String, String> strings = client.connect();
             StatefulRedisConnection<byte[], byte[]> bytes = client.connect(ByteArrayCodec.INSTANCE)) {
            String first = script.run(strings.sync(), ScriptOutputType.VALUE, "p:", "x");
            assertEquals("p:x" + nonce, first);
            assertEquals("p:y" + nonce, script.run(strings.sync(), ScriptOutputType.VALUE, "p:", "y"));

            LuaScript unseen = LuaScript.of("echo2", "return P .. ARGV[2] .. '" + UUID.randomUUID() + "'");
            byte[] reply = unseen.<byte[]>run(bytes.async(), ScriptOutputType.VALUE,
                    "q:".getBytes(StandardCharsets.UTF_8), "z".getBytes(StandardCharsets.UTF_8))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(new String(reply, StandardCharsets.UTF_8).startsWith("q:z"));
        } finally {
            client.shutdown();
        }
    }
}
