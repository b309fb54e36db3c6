package io.pushgate.server.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarantees of {@link Presence}, run against every implementation: a subclass supplies a fresh, empty
 * presence store and the client_ids it accepts.
 */
public abstract class PresenceContract {

    protected Presence presence;

    /** A new, empty store. */
    protected abstract Presence newPresence();

    /** A client_id as this store's node would issue it. */
    protected abstract String newClientId();

    @BeforeEach
    void open() {
        presence = newPresence();
    }

    @AfterEach
    void closePresence() {
        if (presence != null) { // null when the store could not be opened (a skipped test)
            presence.close();
        }
    }

    private String connect() {
        String id = newClientId();
        presence.addClient(id, 1_700_000_000_123L, null);
        return id;
    }

    @Test
    void clientIsOnlineFromAddUntilRemove() {
        String id = connect();
        assertTrue(presence.isOnline(id));
        assertEquals(1, presence.clientCount());
        presence.removeClient(id);
        assertFalse(presence.isOnline(id));
        assertEquals(0, presence.clientCount());
    }

    @Test
    void addClientWithUidBindsAtOnce() throws Exception {
        String id = newClientId();
        presence.addClient(id, 1L, "u1");
        assertEquals(Optional.of("u1"), presence.uidOf(id));
        assertEquals(Set.of(id), presence.clientIdsOfUid("u1"));
        assertTrue(presence.isUidOnline("u1"));
    }

    @Test
    void addingTheSameClientIdTwiceIsRefused() {
        String id = connect();
        assertThrows(IllegalStateException.class, () -> presence.addClient(id, 2L, null));
        assertEquals(1, presence.clientCount());
    }

    @Test
    void bindingAgainMovesTheClientAndAnEmptyUidDisappears() throws Exception {
        String id = connect();
        presence.bindUid(id, "alice");
        presence.bindUid(id, "bob");
        assertEquals(Optional.of("bob"), presence.uidOf(id));
        assertEquals(Set.of(), presence.clientIdsOfUid("alice"));
        assertFalse(presence.isUidOnline("alice"));
        assertEquals(Set.of("bob"), presence.allUids());
        assertEquals(1, presence.uidCount());
    }

    @Test
    void aUidIsOnlineUntilItsLastClientGoes() throws Exception {
        String a = connect();
        String b = connect();
        presence.bindUid(a, "carol");
        presence.bindUid(b, "carol");
        assertEquals(Set.of(a, b), presence.clientIdsOfUid("carol"));
        assertEquals(1, presence.uidCount());
        presence.removeClient(a);
        assertTrue(presence.isUidOnline("carol"));
        presence.removeClient(b);
        assertFalse(presence.isUidOnline("carol"));
        assertEquals(0, presence.uidCount());
        assertEquals(Set.of(), presence.allUids());
    }

    @Test
    void unbindOnlyUnbindsTheBoundUid() throws Exception {
        String id = connect();
        presence.bindUid(id, "dave");
        presence.unbindUid(id, "someone-else");
        assertEquals(Optional.of("dave"), presence.uidOf(id));
        presence.unbindUid(id, "dave");
        assertEquals(Optional.empty(), presence.uidOf(id));
        assertFalse(presence.isUidOnline("dave"));
    }

    @Test
    void groupsCountTheirMembersAndDisappearWhenEmpty() throws Exception {
        String a = connect();
        String b = connect();
        presence.joinGroup(a, "g1");
        presence.joinGroup(b, "g1");
        presence.joinGroup(b, "g2");
        presence.joinGroup(b, "g2"); // joining twice changes nothing
        assertEquals(Map.of("g1", 2, "g2", 1), presence.allGroups());
        assertEquals(2, presence.groupCount());
        assertEquals(2, presence.clientCountOfGroup("g1"));
        assertEquals(Set.of(a, b), presence.clientIdsOfGroup("g1"));
        presence.leaveGroup(b, "g2");
        assertEquals(Map.of("g1", 2), presence.allGroups());
        assertEquals(0, presence.clientCountOfGroup("g2"));
        assertEquals(1, presence.groupCount());
    }

    @Test
    void ungroupRemovesEveryMember() throws Exception {
        String a = connect();
        String b = connect();
        presence.joinGroup(a, "room");
        presence.joinGroup(b, "room");
        presence.joinGroup(b, "other");
        presence.ungroup("room");
        assertEquals(Set.of(), presence.clientIdsOfGroup("room"));
        assertEquals(Map.of("other", 1), presence.allGroups());
        assertEquals(Set.of(), presence.clientInfo(a).orElseThrow().groups());
        assertEquals(Set.of("other"), presence.clientInfo(b).orElseThrow().groups());
        presence.joinGroup(a, "room"); // the group can form again
        assertEquals(Set.of(a), presence.clientIdsOfGroup("room"));
    }

    @Test
    void removingAClientLeavesItsUidGroupsAndSession() throws Exception {
        String id = connect();
        String other = connect();
        presence.bindUid(id, "erin");
        presence.joinGroup(id, "g");
        presence.joinGroup(other, "g");
        presence.setSession(id, Map.of("k", "v"));
        presence.removeClient(id);
        assertFalse(presence.isUidOnline("erin"));
        assertEquals(Set.of(other), presence.clientIdsOfGroup("g"));
        assertEquals(Map.of("g", 1), presence.allGroups());
        assertEquals(Optional.empty(), presence.session(id));
        assertEquals(Optional.empty(), presence.clientInfo(id));
        assertEquals(Optional.empty(), presence.uidOf(id));
    }

    @Test
    void callsForAnUnknownClientChangeNothing() {
        String ghost = newClientId();
        assertThrows(UnknownClientException.class, () -> presence.bindUid(ghost, "u"));
        assertThrows(UnknownClientException.class, () -> presence.joinGroup(ghost, "g"));
        assertThrows(UnknownClientException.class, () -> presence.setSession(ghost, Map.of("a", 1)));
        assertThrows(UnknownClientException.class, () -> presence.updateSession(ghost, Map.of("a", 1)));
        presence.unbindUid(ghost, "u");
        presence.leaveGroup(ghost, "g");
        presence.removeClient(ghost);
        assertFalse(presence.isOnline(ghost));
        assertEquals(Set.of(), presence.allUids());
        assertEquals(Map.of(), presence.allGroups());
        assertEquals(Optional.empty(), presence.session(ghost));
        assertEquals(0, presence.clientCount());
    }

    @Test
    void uidsOfAGroupAreDistinct() throws Exception {
        String a = connect();
        String b = connect();
        String c = connect();
        presence.bindUid(a, "frank");
        presence.bindUid(b, "frank");
        presence.bindUid(c, "grace");
        for (String id : List.of(a, b, c)) {
            presence.joinGroup(id, "team");
        }
        presence.joinGroup(connect(), "team"); // a member with no uid
        assertEquals(Set.of("frank", "grace"), presence.uidsOfGroup("team"));
        assertEquals(2, presence.uidCountOfGroup("team"));
        assertEquals(4, presence.clientCountOfGroup("team"));
    }

    @Test
    void clientIdsOfSeveralUidsOrGroupsAreEachListedOnce() throws Exception {
        String a = connect();
        String b = connect();
        presence.bindUid(a, "h1");
        presence.bindUid(b, "h2");
        presence.joinGroup(a, "x");
        presence.joinGroup(a, "y");
        presence.joinGroup(b, "y");
        assertEquals(Set.of(a, b), presence.clientIdsOfUids(List.of("h1", "h2", "nobody")));
        assertEquals(Set.of(a, b), presence.clientIdsOfGroups(List.of("x", "y")));
        assertEquals(Set.of(a), presence.clientIdsOfGroups(List.of("x")));
    }

    @Test
    void setSessionReplacesAndUpdateSessionMerges() throws Exception {
        String id = connect();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("name", "Ivy");
        first.put("age", 31);
        first.put("tags", List.of("a", "b"));
        first.put("nested", Map.of("ok", true));
        presence.setSession(id, first);
        assertEquals(first, presence.session(id).orElseThrow());
        presence.updateSession(id, Map.of("age", 32, "city", "Oslo"));
        Map<String, Object> merged = new LinkedHashMap<>(first);
        merged.put("age", 32);
        merged.put("city", "Oslo");
        assertEquals(merged, presence.session(id).orElseThrow());
        presence.setSession(id, Map.of("only", "this"));
        assertEquals(Map.of("only", "this"), presence.session(id).orElseThrow());
        presence.setSession(id, Map.of());
        assertEquals(Map.of(), presence.session(id).orElseThrow());
    }

    @Test
    void clientInfoReportsUidGroupsSessionAndConnectTime() throws Exception {
        String id = connect();
        presence.bindUid(id, "jack");
        presence.joinGroup(id, "g1");
        presence.joinGroup(id, "g2");
        presence.setSession(id, Map.of("k", "v"));
        ClientInfo info = presence.clientInfo(id).orElseThrow();
        assertEquals(id, info.clientId());
        assertEquals("jack", info.uid());
        assertEquals(Set.of("g1", "g2"), info.groups());
        assertEquals(Map.of("k", "v"), info.session());
        assertEquals(1_700_000_000_123L, info.connectedAt());
    }

    @Test
    void bindsAndJoinsRacingWithRemovalLeaveNothingBehind() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 20; round++) {
                String id = connect();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> tasks = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    int n = t;
                    tasks.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < 10; i++) {
                            try {
                                presence.bindUid(id, "race-" + n);
                                presence.joinGroup(id, "race-group-" + n);
                            } catch (UnknownClientException e) {
                                return null; // the removal won: fine
                            }
                        }
                        return null;
                    }));
                }
                tasks.add(pool.submit(() -> {
                    go.await();
                    presence.removeClient(id);
                    return null;
                }));
                go.countDown();
                for (Future<?> task : tasks) {
                    task.get(10, TimeUnit.SECONDS);
                }
                assertFalse(presence.isOnline(id));
                assertEquals(Set.of(), presence.allUids(), "round " + round);
                assertEquals(Map.of(), presence.allGroups(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
