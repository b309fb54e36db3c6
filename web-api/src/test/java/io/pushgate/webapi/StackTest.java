package io.pushgate.webapi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that shares one running stack (database, push-server, web-api) across its tests: started before
 * the first test, closed after the last.
 */
public abstract class StackTest {
    protected static TestStack stack;

    @BeforeAll
    static void startStack() {
        stack = TestStack.start();
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }
}
