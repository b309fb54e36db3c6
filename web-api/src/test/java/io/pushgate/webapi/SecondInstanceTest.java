package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TestStack#startInstance}: a second web-api on the same database serves a session made by the first. */
class SecondInstanceTest extends StackTest {
    @Test
    void aSessionMadeOnOneInstanceIsServedByAnother() {
        WebApi other = stack.startInstance(Map.of());
        assertNotEquals(stack.api.uri(), other.uri());
        TestStack.User alice = stack.login("alice");

        TestStack.Reply me = alice.via(other).get("/api/me");

        assertEquals(200, me.status(), me.toString());
        assertEquals(alice.uid, me.body().path("uid").asLong(), me.toString());
    }
}
