package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {

    @Test
    void connectSrcAddsOnlyThePushServersWebSocketOrigin() {
        String policy = ContentSecurityPolicy.forPages("wss://push.example.com:8443/ws?x=1");
        assertTrue(policy.contains("connect-src 'self' wss://push.example.com:8443;"), policy);
        assertTrue(policy.startsWith("default-src 'self'; script-src 'self'; style-src 'self'; "), policy);
        assertTrue(policy.endsWith("frame-ancestors 'none'"), policy);
        assertEquals("ws://localhost:8282", ContentSecurityPolicy.origin("ws://localhost:8282/"));
    }
}
