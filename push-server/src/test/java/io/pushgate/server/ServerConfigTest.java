package io.pushgate.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.config.ConfigException;
import io.pushgate.config.Setting;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsFollowTheContract() {
        ServerConfig config = ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s"));
        assertEquals("0.0.0.0", config.wsHost());
        assertEquals(8282, config.wsPort());
        assertEquals("127.0.0.1", config.adminHost());
        assertEquals(8283, config.adminPort());
        assertEquals(25, config.pingIntervalSeconds());
        assertEquals(0, config.maxConnections());
        assertTrue(config.anyOrigin());
        assertEquals(null, config.redisUri());
        assertTrue(config.nodeId().matches("[0-9a-f]{12}"));
        assertEquals(5000, config.handshakeTimeoutMillis());
        assertEquals(86_400, config.connectTokenMaxTtlSeconds());
    }

    @Test
    void handshakeTimeoutAndTokenLifetimeAreBounded() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "PUSH_HANDSHAKE_TIMEOUT_MS", "0",
                        "PUSH_CONNECT_TOKEN_MAX_TTL_S", "forever")));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("PUSH_HANDSHAKE_TIMEOUT_MS must be between 100 and 600000"));
        assertTrue(e.getMessage().contains("PUSH_CONNECT_TOKEN_MAX_TTL_S must be a whole number"));
    }

    @Test
    void missingSecretAndBadValuesAreAllReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                ServerConfig.fromEnv(Map.of("PUSH_WS_PORT", "eighty", "PUSH_PING_INTERVAL_S", "0",
                        "PUSH_NODE_ID", "bad node", "PUSH_CONNECT_SECRET", "short")));
        assertEquals(5, e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().contains("PUSH_ADMIN_SECRET is not set"));
        assertTrue(e.getMessage().contains("PUSH_WS_PORT must be a whole number"));
    }

    @Test
    void adminReadTimeoutDefaultsToFiveSecondsAndIsBounded() {
        assertEquals(5000, ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s")).adminReadTimeoutMillis());
        assertEquals(250, ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "PUSH_ADMIN_READ_TIMEOUT_MS", "250")).adminReadTimeoutMillis());
        for (String bad : new String[] {"0", "99", "600001", "5s"}) {
            ConfigException e = assertThrows(ConfigException.class, () ->
                    ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "PUSH_ADMIN_READ_TIMEOUT_MS", bad)));
            assertTrue(e.getMessage().contains("PUSH_ADMIN_READ_TIMEOUT_MS"), e.getMessage());
        }
    }

    @Test
    void forTestingKeepsTheProductionDefaultsOnFreeLoopbackPorts() {
        ServerConfig config = ServerConfig.forTesting("s");
        assertEquals("127.0.0.1", config.wsHost());
        assertEquals(0, config.wsPort());
        assertEquals("127.0.0.1", config.adminHost());
        assertEquals(0, config.adminPort());
        assertEquals("s", config.adminSecret());
        assertEquals(25, config.pingIntervalSeconds());
        assertEquals(1 << 20, config.maxQueuedBytes());
        assertEquals(5000, config.adminReadTimeoutMillis());
        assertNull(config.redisUri());
    }

    @Test
    void forTestingOverridesAreReadAndValidatedAsTheEnvironmentIs() {
        ServerConfig config = ServerConfig.forTesting("s", Map.of("PUSH_PING_INTERVAL_S", "1",
                "PUSH_ADMIN_PORT", "9999", "PUSH_REDIS_URI", "redis://r:6379", "PUSH_NODE_ID", "n1"));
        assertEquals(1, config.pingIntervalSeconds());
        assertEquals(9999, config.adminPort());
        assertEquals("redis://r:6379", config.redisUri());
        assertEquals("n1", config.nodeId());
        ConfigException e = assertThrows(ConfigException.class, () ->
                ServerConfig.forTesting("s", Map.of("PUSH_PING_INTERVAL_S", "0")));
        assertEquals(List.of("PUSH_PING_INTERVAL_S must be between 1 and 3600, got 0"), e.problems());
    }

    @Test
    void everyComponentIsOneDeclaredSettingWithItsDefaultAndRange() {
        Map<String, Setting> settings = ServerConfig.settings().stream()
                .collect(Collectors.toMap(Setting::name, s -> s));
        assertEquals(ServerConfig.class.getRecordComponents().length, settings.size(), settings.keySet().toString());
        assertEquals(new Setting("PUSH_WS_PORT", "8282", "0-65535"), settings.get("PUSH_WS_PORT"));
        assertEquals(new Setting("PUSH_ADMIN_READ_TIMEOUT_MS", "5000", "100-600000"),
                settings.get("PUSH_ADMIN_READ_TIMEOUT_MS"));
        assertEquals("required", settings.get("PUSH_ADMIN_SECRET").defaultValue());
        assertEquals("unset", settings.get("PUSH_CONNECT_SECRET").defaultValue());
    }

    @Test
    void originsAreAListAndSecretsNeverPrinted() {
        ServerConfig config = ServerConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "topsecret",
                "PUSH_ALLOWED_ORIGINS", "https://a.example, https://b.example"));
        assertEquals(Set.of("https://a.example", "https://b.example"), config.allowedOrigins());
        assertFalse(config.anyOrigin());
        assertFalse(config.toString().contains("topsecret"));
    }

    @Test
    void serverRefusesToStartWithoutASecret() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), PushServerMain.class.getName());
        builder.environment().remove("PUSH_ADMIN_SECRET");
        builder.environment().put("PUSH_WS_PORT", "0");
        builder.environment().put("PUSH_ADMIN_PORT", "0");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exits at once");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue());
        assertTrue(output.contains("PUSH_ADMIN_SECRET is not set"), output);
    }
}
