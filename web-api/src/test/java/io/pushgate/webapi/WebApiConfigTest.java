package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.config.ConfigException;
import io.pushgate.config.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WebApiConfigTest {

    @Test
    void defaultsFollowTheContract() {
        WebApiConfig c = WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s"));
        assertEquals("0.0.0.0", c.host());
        assertEquals(8080, c.port());
        assertNull(c.dbUrl());
        assertTrue(c.embeddedDatabase());
        assertTrue(c.demoData(), "demo data is on with the embedded database");
        assertEquals(List.of("http://127.0.0.1:8283"), c.pushAdminUrls());
        assertEquals("ws://localhost:8282/", c.publicWsUrl());
        assertEquals(Path.of("./data/uploads"), c.uploadDir());
    }

    @Test
    void aRealDatabaseTurnsDemoDataOffUnlessAsked() {
        Map<String, String> env = Map.of("PUSH_ADMIN_SECRET", "s", "DB_URL", "jdbc:mysql://db:3306/chat");
        assertFalse(WebApiConfig.fromEnv(env).demoData());
        assertEquals(List.of("http://a:1", "http://b:2"), WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "PUSH_ADMIN_URLS", "http://a:1, http://b:2")).pushAdminUrls());
    }

    @Test
    void thePublicWebSocketUrlMayListSeveralNodes() {
        WebApiConfig c = WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "PUSH_PUBLIC_WS_URL", "wss://a.example.com/, ,wss://b.example.com/"));
        assertEquals(List.of("wss://a.example.com/", "wss://b.example.com/"), c.publicWsUrls());
        assertEquals("wss://a.example.com/", c.publicWsUrl(), "the first, for pages that know only one");
        ConfigException e = assertThrows(ConfigException.class, () ->
                WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "PUSH_PUBLIC_WS_URL", "ws://a/,http://b/")));
        assertEquals(List.of("PUSH_PUBLIC_WS_URL must be ws:// or wss:// URLs, got 'http://b/'"), e.problems());
        e = assertThrows(ConfigException.class, () ->
                WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "PUSH_PUBLIC_WS_URL", " , ")));
        assertEquals(List.of("PUSH_PUBLIC_WS_URL is empty"), e.problems());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                WebApiConfig.fromEnv(Map.of("API_PORT", "http", "DB_URL", "postgres://x", "RATE_LIMIT_BURST", "0",
                        "DEMO_DATA", "maybe", "PUSH_PUBLIC_WS_URL", "http://x")));
        assertEquals(6, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("PUSH_ADMIN_SECRET is not set")));
    }

    @Test
    void loginThrottlingAndReadDeadlineSettingsHaveDefaultsAndAreValidated() {
        WebApiConfig c = WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s"));
        assertEquals(5, c.loginAttemptsPerUsername());
        assertEquals(20, c.loginAttemptsPerAddress());
        assertEquals(5000, c.readTimeoutMs());
        assertEquals(256, c.minReadRate());
        ConfigException e = assertThrows(ConfigException.class, () ->
                WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "LOGIN_ATTEMPTS_PER_USERNAME", "0",
                        "LOGIN_ATTEMPTS_PER_ADDRESS", "many", "API_READ_TIMEOUT_MS", "50",
                        "API_MIN_READ_BYTES_PER_SECOND", "0")));
        assertEquals(List.of("LOGIN_ATTEMPTS_PER_USERNAME must be between 1 and 1000000, got 0",
                "LOGIN_ATTEMPTS_PER_ADDRESS must be a whole number between 1 and 1000000, got 'many'",
                "API_READ_TIMEOUT_MS must be between 100 and 600000, got 50",
                "API_MIN_READ_BYTES_PER_SECOND must be between 1 and 1000000000, got 0"), e.problems());
    }

    @Test
    void sharedStoreSettingsHaveDefaultsAndAreValidated() {
        WebApiConfig c = WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s"));
        assertNull(c.redisUrl(), "rate limits in memory unless REDIS_URL is set");
        assertEquals("pushgate-web:", c.redisKeyPrefix());
        assertEquals(WebApiConfig.UploadStoreKind.DATABASE, c.uploadStore());
        assertEquals(WebApiConfig.UploadStoreKind.DIRECTORY, WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "UPLOAD_STORE", "directory")).uploadStore());
        ConfigException e = assertThrows(ConfigException.class, () ->
                WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s", "UPLOAD_STORE", "s3",
                        "REDIS_URL", "127.0.0.1:6379")));
        assertEquals(List.of("UPLOAD_STORE must be database or directory, got 's3'",
                "REDIS_URL must be a redis:// or rediss:// URL, got '127.0.0.1:6379'"), e.problems());
    }

    @Test
    void forTestingKeepsTheProductionDefaultsOnAFreeLoopbackPort() {
        WebApiConfig c = WebApiConfig.forTesting("jdbc:mysql://127.0.0.1:3306/t", "http://127.0.0.1:1", "s",
                Path.of("/tmp/up"), Map.of("RATE_LIMIT_BURST", "100"));
        assertEquals("127.0.0.1", c.host());
        assertEquals(0, c.port());
        assertEquals("jdbc:mysql://127.0.0.1:3306/t", c.dbUrl());
        assertEquals(List.of("http://127.0.0.1:1"), c.pushAdminUrls());
        assertEquals(Path.of("/tmp/up"), c.uploadDir());
        assertFalse(c.demoData(), "off with a real database, as in production");
        assertEquals(100, c.rateLimitBurst());
        assertEquals(5.0, c.rateLimitPerSecond());
        ConfigException e = assertThrows(ConfigException.class, () -> WebApiConfig.forTesting(
                "jdbc:mysql://127.0.0.1:3306/t", "http://127.0.0.1:1", "s", Path.of("/tmp/up"),
                Map.of("SESSION_TTL_HOURS", "0")));
        assertEquals(List.of("SESSION_TTL_HOURS must be between 1 and 8784, got 0"), e.problems());
    }

    @Test
    void uploadDirDefaultsToUploadsInTheDataDir() {
        assertEquals(Path.of("/srv/pushgate/uploads"), WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "s",
                "DATA_DIR", "/srv/pushgate")).uploadDir());
    }

    @Test
    void everyComponentIsOneDeclaredSettingWithItsDefaultAndRange() {
        Map<String, Setting> settings = WebApiConfig.settings().stream()
                .collect(Collectors.toMap(Setting::name, s -> s));
        assertEquals(WebApiConfig.class.getRecordComponents().length, settings.size(), settings.keySet().toString());
        assertEquals(new Setting("RATE_LIMIT_PER_SECOND", "5", "0.01-1000000"), settings.get("RATE_LIMIT_PER_SECOND"));
        assertEquals(new Setting("UPLOAD_STORE", "database", "database, directory"), settings.get("UPLOAD_STORE"));
        assertEquals("DATA_DIR/uploads", settings.get("UPLOAD_DIR").defaultValue());
    }

    @Test
    void toStringNeverShowsSecrets() {
        WebApiConfig c = WebApiConfig.fromEnv(Map.of("PUSH_ADMIN_SECRET", "hunter2", "DB_PASSWORD", "pw123",
                "REDIS_URL", "redis://:redispw@127.0.0.1:6379/0"));
        assertFalse(c.toString().contains("hunter2"));
        assertFalse(c.toString().contains("pw123"));
        assertFalse(c.toString().contains("redispw"));
    }
}
