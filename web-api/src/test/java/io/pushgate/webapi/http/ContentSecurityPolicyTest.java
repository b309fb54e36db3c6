package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContentSecurityPolicyTest {

    @Test
    void connectSrcAddsOnlyThePushServersWebSocketOrigin() {
        String policy = ContentSecurityPolicy.forPages(List.of("wss://push.example.com:8443/ws?x=1"));
        assertTrue(policy.contains("connect-src 'self' wss://push.example.com:8443;"), policy);
        assertTrue(policy.startsWith("default-src 'self'; script-src 'self'; style-src 'self'; "), policy);
        assertTrue(policy.endsWith("frame-ancestors 'none'"), policy);
        assertEquals("ws://localhost:8282", ContentSecurityPolicy.origin("ws://localhost:8282/"));
    }

    @Test
    void connectSrcNamesEveryNodesOriginOnce() {
        String policy = ContentSecurityPolicy.forPages(List.of("wss://a.example.com/ws", "wss://b.example.com/ws",
                "wss://a.example.com/other"));
        assertTrue(policy.contains("connect-src 'self' wss://a.example.com wss://b.example.com;"), policy);
    }
}
