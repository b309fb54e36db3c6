package io.pushgate.webapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;

/**
 * A test class that shares one running stack (database, push-server, web-api) across its tests: started before
 * the first test, closed after the last. {@link Settings} on the class overrides web-api settings for its stack.
 */
public abstract class StackTest {
    protected static TestStack stack;

    /** Web-api settings for the class's stack, as {@code NAME=value}: {@code @Settings("RATE_LIMIT_BURST=1000")}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @Inherited
    public @interface Settings {
        String[] value();
    }

    @BeforeAll
    static void startStack(TestInfo test) {
        Map<String, String> overrides = new HashMap<>();
        Settings settings = test.getTestClass().orElseThrow().getAnnotation(Settings.class);
        for (String setting : settings == null ? new String[0] : settings.value()) {
            int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not NAME=value: " + setting);
            }
            overrides.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        stack = TestStack.start(overrides);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }
}
