package io.pushgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvReaderTest {

    enum Store { DATABASE, DIRECTORY }

    @Test
    void unsetAndBlankVariablesTakeTheirDefaults() {
        EnvReader env = new EnvReader(Map.of("HOST", "  ", "PORT", ""));
        assertEquals("0.0.0.0", env.string("HOST", "0.0.0.0", "a host"));
        assertEquals(8080, env.integer("PORT", 8080, 0, 65535));
        assertEquals(5.0, env.decimal("RATE", 5, 0.01, 100));
        assertTrue(env.bool("DEMO", true, "true"));
        assertEquals(Store.DATABASE, env.oneOf("STORE", Store.DATABASE, Store.class));
        assertEquals(List.of("http://a"), env.urls("URLS", "http://a", "http"));
        assertNull(env.string("OPTIONAL", null, "a URL"));
        assertEquals("", env.verbatim("PASSWORD", "empty", "text"));
        env.validate();
    }

    @Test
    void valuesAreTrimmedAndParsed() {
        EnvReader env = new EnvReader(Map.of("HOST", " example ", "PORT", " 81 ", "RATE", "0.5", "DEMO", "No",
                "STORE", "Directory", "URLS", "http://a, ,https://b", "PASSWORD", " pw "));
        assertEquals("example", env.string("HOST", "0.0.0.0", "a host"));
        assertEquals(81, env.integer("PORT", 8080, 0, 65535));
        assertEquals(0.5, env.decimal("RATE", 5, 0.01, 100));
        assertFalse(env.bool("DEMO", true, "true"));
        assertEquals(Store.DIRECTORY, env.oneOf("STORE", Store.DATABASE, Store.class));
        assertEquals(List.of("http://a", "https://b"), env.urls("URLS", "http://x", "http", "https"));
        assertEquals(" pw ", env.verbatim("PASSWORD", "empty", "text"));
        env.validate();
    }

    /** One read of each kind, as a configuration's {@code read} method does. */
    private static Void readEachKind(EnvReader env) {
        env.integer("PORT", 8080, 0, 65535);
        env.integer("TIMEOUT", 5000, 100, 600_000);
        env.decimal("RATE", 5, 0.01, 100);
        env.bool("DEMO", true, "true with the embedded database");
        env.oneOf("STORE", Store.DATABASE, Store.class);
        env.urls("URLS", "http://x", "http", "https");
        env.required("SECRET", "text", "the admin API needs one");
        env.string("HOST", "0.0.0.0", "a host");
        env.string("REDIS", null, "a redis:// URL");
        env.string("DIR", "./data/uploads", "DATA_DIR/uploads", "a directory");
        return null;
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsVariableValueAndRange() {
        EnvReader env = new EnvReader(Map.of("PORT", "eighty", "TIMEOUT", "99", "RATE", "1e9", "DEMO", "maybe",
                "STORE", "s3", "URLS", "ftp://a"));
        readEachKind(env);
        env.problem("a rule of this configuration");
        ConfigException e = assertThrows(ConfigException.class, env::validate);
        assertEquals(List.of(
                "PORT must be a whole number between 0 and 65535, got 'eighty'",
                "TIMEOUT must be between 100 and 600000, got 99",
                "RATE must be between 0.01 and 100, got 1e9",
                "DEMO must be true or false, got 'maybe'",
                "STORE must be database or directory, got 's3'",
                "URLS must be http:// or https:// URLs, got 'ftp://a'",
                "SECRET is not set: the admin API needs one",
                "a rule of this configuration"), e.problems());
        assertTrue(e.getMessage().startsWith("invalid configuration: PORT must be"), e.getMessage());
        assertThrows(ConfigException.class, () ->
                EnvReader.read(Map.of("PORT", "eighty", "SECRET", "s"), EnvReaderTest::readEachKind));
    }

    @Test
    void anEmptyListIsAProblem() {
        EnvReader env = new EnvReader(Map.of("URLS", " , "));
        env.urls("URLS", "http://x", "http");
        assertEquals(List.of("URLS is empty"), assertThrows(ConfigException.class, env::validate).problems());
    }

    @Test
    void eachReadDeclaresItsSettingWithDefaultAndRange() {
        assertEquals(List.of(
                new Setting("PORT", "8080", "0-65535"),
                new Setting("TIMEOUT", "5000", "100-600000"),
                new Setting("RATE", "5", "0.01-100"),
                new Setting("DEMO", "true with the embedded database", "true, false (also 1/0, yes/no)"),
                new Setting("STORE", "database", "database, directory"),
                new Setting("URLS", "http://x", "comma-separated http:// or https:// URLs"),
                new Setting("SECRET", "required", "text"),
                new Setting("HOST", "0.0.0.0", "a host"),
                new Setting("REDIS", "unset", "a redis:// URL"),
                new Setting("DIR", "DATA_DIR/uploads", "a directory")),
                EnvReader.declaredBy(EnvReaderTest::readEachKind));
    }

    @Test
    void aVariableReadTwiceIsAMistakeInTheConfiguration() {
        EnvReader env = new EnvReader(Map.of());
        env.integer("PORT", 8080, 0, 65535);
        assertThrows(IllegalStateException.class, () -> env.string("PORT", "8080", "a port"));
    }

    @Test
    void overridesWinOverDefaults() {
        assertEquals(Map.of("A", "1", "B", "3", "C", "4"),
                EnvReader.overriding(Map.of("A", "1", "B", "2"), Map.of("B", "3", "C", "4")));
    }
}
