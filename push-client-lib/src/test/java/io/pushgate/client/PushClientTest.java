package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.WsTestClient;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every blocking method against a real push-server, observed through real WebSocket connections. */
class PushClientTest extends RealServerTest {
    record Greeting(String type, String text) {
    }

    @Test
    void sendToUidDeliversAStringAsItIsAndAnObjectAsJson() throws Exception {
        try (WsTestClient page = connect()) {
            push.bindUid(page.clientId(), "42");

            assertEquals(1, push.sendToUid("42", "plain text, not JSON"));
            assertEquals("plain text, not JSON", page.next());

            assertEquals(1, push.sendToUid("42", new Greeting("hello", "hi \"there\"")));
            assertEquals("{\"type\":\"hello\",\"text\":\"hi \\\"there\\\"\"}", page.next());

            assertEquals(1, push.sendToUid("42", Map.of("n", 1)));
            assertEquals("{\"n\":1}", page.next());
        }
    }

    @Test
    void sendToUidReachesEveryConnectionOfTheUidExceptExcluded() throws Exception {
        try (WsTestClient tab1 = connect(); WsTestClient tab2 = connect(); WsTestClient other = connect()) {
            push.bindUid(tab1.clientId(), "7");
            push.bindUid(tab2.clientId(), "7");
            push.bindUid(other.clientId(), "8");

            assertEquals(2, push.sendToUid("7", "both"));
            assertEquals("both", tab1.next());
            assertEquals("both", tab2.next());

            assertEquals(1, push.sendToUid("7", "not tab1", List.of(tab1.clientId())));
            assertEquals("not tab1", tab2.next());

            assertEquals(3, push.sendToUid(List.of("7", "8"), "all three"));
            assertEquals(2, push.sendToUid(List.of("7", "8"), "two", Set.of(tab2.clientId())));
            assertEquals("all three", other.next());
            assertEquals("two", other.next());
            assertEquals("all three", tab2.next());
            // tab1 got nothing while it was excluded: its next frames are the ones after
            assertEquals("all three", tab1.next());
            assertEquals("two", tab1.next());

            assertEquals(0, push.sendToUid("nobody", "lost"));
        }
    }

    @Test
    void sendToClientReachesOneOrSeveralConnections() throws Exception {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            assertEquals(1, push.sendToClient(a.clientId(), "to a"));
            assertEquals(2, push.sendToClient(List.of(a.clientId(), b.clientId()), "to both"));
            assertEquals(1, push.sendToClient(List.of(b.clientId(), "gone-client"), "to b"));
            assertEquals("to a", a.next());
            assertEquals("to both", a.next());
            assertEquals("to both", b.next());
            assertEquals("to b", b.next());
        }
    }

    @Test
    void groupsCanBeJoinedQueriedSentToLeftAndDissolved() throws Exception {
        try (WsTestClient a = connect(); WsTestClient b = connect(); WsTestClient c = connect()) {
            push.bindUid(a.clientId(), "1");
            push.bindUid(b.clientId(), "2");
            push.joinGroup(a.clientId(), "room");
            push.joinGroup(b.clientId(), "room");
            push.joinGroup(c.clientId(), "lobby");

            assertEquals(Set.of(a.clientId(), b.clientId()), Set.copyOf(push.getClientIdsByGroup("room")));
            assertEquals(Set.of("1", "2"), Set.copyOf(push.getUidsByGroup("room")));
            assertEquals(Map.of("room", 2, "lobby", 1), push.getAllGroups());
            assertEquals(2, push.getClientCount("room"));
            assertEquals(2, push.getUidCount("room"));
            assertEquals(0, push.getUidCount("lobby"));

            assertEquals(2, push.sendToGroup("room", "r1"));
            assertEquals(1, push.sendToGroup("room", "r2", List.of(a.clientId())));
            assertEquals(3, push.sendToGroup(List.of("room", "lobby"), "g1"));
            assertEquals(2, push.sendToGroup(List.of("room", "lobby"), "g2", List.of(b.clientId())));
            assertEquals(List.of("r1", "g1", "g2"), List.of(a.next(), a.next(), a.next()));
            assertEquals(List.of("r1", "r2", "g1"), List.of(b.next(), b.next(), b.next()));
            assertEquals(List.of("g1", "g2"), List.of(c.next(), c.next()));

            push.leaveGroup(a.clientId(), "room");
            assertEquals(List.of(b.clientId()), push.getClientIdsByGroup("room"));

            push.ungroup("room");
            assertEquals(List.of(), push.getClientIdsByGroup("room"));
            assertEquals(0, push.sendToGroup("room", "nobody"));
            assertTrue(push.isOnline(b.clientId()), "ungroup keeps the connections open");
        }
    }

    @Test
    void sendToAllReachesEveryConnectionExceptExcluded() throws Exception {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            assertEquals(2, push.sendToAll("everyone"));
            assertEquals(1, push.sendToAll(Map.of("k", "v"), List.of(a.clientId())));
            assertEquals(1, push.sendToClient(a.clientId(), "after"));
            assertEquals(List.of("everyone", "after"), List.of(a.next(), a.next()));
            assertEquals(List.of("everyone", "{\"k\":\"v\"}"), List.of(b.next(), b.next()));
        }
    }

    @Test
    void presenceFollowsBindingAndUnbinding() throws Exception {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            assertTrue(push.isOnline(a.clientId()));
            assertFalse(push.isOnline("never-connected"));
            assertFalse(push.isUidOnline("5"));
            assertEquals(Optional.empty(), push.getUidByClientId(a.clientId()));

            push.bindUid(a.clientId(), "5");
            push.bindUid(b.clientId(), "5");
            assertTrue(push.isUidOnline("5"));
            assertEquals(Optional.of("5"), push.getUidByClientId(a.clientId()));
            assertEquals(Set.of(a.clientId(), b.clientId()), Set.copyOf(push.getClientIdsByUid("5")));
            assertEquals(List.of("5"), push.getAllUids());
            assertEquals(2, push.getClientCount());
            assertEquals(1, push.getUidCount());

            push.unbindUid(a.clientId(), "5");
            assertEquals(List.of(b.clientId()), push.getClientIdsByUid("5"));
            assertEquals(Optional.empty(), push.getUidByClientId(a.clientId()));
        }
    }

    @Test
    void sessionsAreSetMergedReadAndReportedInClientInfo() throws Exception {
        try (WsTestClient a = connect()) {
            assertEquals(Optional.of(Map.of()), push.getSession(a.clientId()));
            assertEquals(Optional.empty(), push.getSession("never-connected"));

            push.setSession(a.clientId(), Map.of("name", "Ann", "level", 3));
            push.updateSession(a.clientId(), Map.of("level", 4, "vip", true));
            assertEquals(Optional.of(Map.of("name", "Ann", "level", 4, "vip", true)), push.getSession(a.clientId()));

            push.setSession(a.clientId(), Map.of("only", "this"));
            assertEquals(Optional.of(Map.of("only", "this")), push.getSession(a.clientId()));

            push.bindUid(a.clientId(), "9");
            push.joinGroup(a.clientId(), "g");
            ClientInfo info = push.getClientInfo(a.clientId());
            assertTrue(info.online());
            assertEquals("9", info.uid());
            assertEquals(List.of("g"), info.groups());
            assertEquals(Map.of("only", "this"), info.session());
            assertTrue(info.connectedAt().isBefore(Instant.now().plusSeconds(1)));

            ClientInfo gone = push.getClientInfo("never-connected");
            assertFalse(gone.online());
            assertNull(gone.uid());
            assertNull(gone.connectedAt());
        }
    }

    @Test
    void closeClientSendsTheLastFrameThenCloses() throws Exception {
        try (WsTestClient a = connect(); WsTestClient b = connect()) {
            assertTrue(push.closeClient(a.clientId(), Map.of("type", "kicked")));
            assertEquals("{\"type\":\"kicked\"}", a.next());
            assertEquals(1000, a.awaitClose(), "closed normally by close_client");

            assertTrue(push.closeClient(b.clientId()));
            assertEquals(1000, b.awaitClose(), "closed normally by close_client");
            assertFalse(push.closeClient("never-connected"));
        }
    }

    @Test
    void statsCountConnectionsAndFrames() throws Exception {
        try (WsTestClient a = connect()) {
            push.bindUid(a.clientId(), "1");
            push.sendToUid("1", "x");
            a.next();
            Stats stats = push.stats();
            assertEquals(1, stats.clients());
            assertEquals(1, stats.uids());
            assertEquals(1, stats.nodeClients());
            assertTrue(stats.framesSent() >= 2, "init and x: " + stats);
            assertEquals(server.config().nodeId(), stats.nodeId());
        }
    }

    @Test
    void bindingAnUnknownClientThrowsClientNotFound() {
        ClientNotFoundException e = assertThrows(ClientNotFoundException.class,
                () -> push.bindUid("no-such-client", "1"));
        assertEquals(404, e.status());
        assertEquals("client_not_found", e.code());
        assertThrows(ClientNotFoundException.class, () -> push.joinGroup("no-such-client", "g"));
    }

    @Test
    void aWrongSecretThrowsUnauthorized() {
        try (PushClient wrong = push.newBuilder().secret("not-the-secret").build()) {
            UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> wrong.sendToUid("1", "x"));
            assertEquals(401, e.status());
            assertEquals("unauthorized", e.code());
        }
    }

    @Test
    void argumentsTheServerRefusesThrowBadRequest() {
        BadRequestException e = assertThrows(BadRequestException.class, () -> push.sendToUid("u".repeat(300), "x"));
        assertEquals(400, e.status());
        assertEquals("bad_request", e.code());
        assertTrue(e.getMessage().contains("uid"), e.getMessage());
    }

    @Test
    void nullArgumentsFailBeforeAnyCall() {
        assertEquals("uid == null",
                assertThrows(NullPointerException.class, () -> push.sendToUid((String) null, "x")).getMessage());
        assertEquals("data == null",
                assertThrows(NullPointerException.class, () -> push.sendToUid("1", null)).getMessage());
        assertEquals("clientId == null",
                assertThrows(NullPointerException.class, () -> push.bindUid(null, "1")).getMessage());
        assertEquals("uids contains null",
                assertThrows(NullPointerException.class,
                        () -> push.sendToUid(java.util.Arrays.asList("1", null), "x")).getMessage());
    }
}
