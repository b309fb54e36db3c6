package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.WsTestClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Batches against a real push-server. */
class PushBatchTest extends RealServerTest {
    @Test
    void aBatchRunsItsOperationsInOrderWithAResultEach() throws Exception {
        try (WsTestClient page = connect()) {
            PushBatch batch = push.batch();
            BatchResult<Void> bind = batch.add(push.calls().bindUid(page.clientId(), "42"));
            batch.add(push.calls().joinGroup(page.clientId(), "room"));
            BatchResult<Integer> toUid = batch.add(push.calls().sendToUid("42", "first"));
            BatchResult<Integer> toGroup = batch.add(push.calls().sendToGroup("room", Map.of("n", 2)));
            BatchResult<Optional<String>> uid = batch.add(push.calls().getUidByClientId(page.clientId()));
            BatchResult<ClientInfo> info = batch.add(push.calls().getClientInfo(page.clientId()));
            assertEquals(6, batch.size());
            assertFalse(toUid.isDone());
            assertThrows(IllegalStateException.class, toUid::get);

            List<BatchResult<?>> results = batch.execute();

            assertEquals(List.of(bind, results.get(1), toUid, toGroup, uid, info), results);
            assertTrue(bind.isSuccess());
            assertNull(bind.get());
            assertEquals("join_group", results.get(1).method());
            assertEquals(1, toUid.get());
            assertEquals(1, toGroup.get());
            assertEquals(Optional.of("42"), uid.get());
            assertEquals(List.of("room"), info.get().groups());
            assertEquals("first", page.next());
            assertEquals("{\"n\":2}", page.next());
        }
    }

    @Test
    void aFailingOperationKeepsItsErrorAndTheOthersStillRun() throws Exception {
        try (WsTestClient page = connect()) {
            PushBatch batch = push.batch();
            BatchResult<Void> unknown = batch.add(push.calls().bindUid("no-such-client", "1"));
            BatchResult<Void> known = batch.add(push.calls().bindUid(page.clientId(), "1"));
            BatchResult<Integer> bad = batch.add(push.calls().sendToUid("u".repeat(300), "x"));
            BatchResult<Integer> sent = batch.add(push.calls().sendToUid("1", "after the failures"));
            batch.execute();

            assertFalse(unknown.isSuccess());
            ClientNotFoundException notFound = assertThrows(ClientNotFoundException.class, unknown::get);
            assertEquals("client_not_found", notFound.code());
            assertEquals(404, notFound.status(), "the status it would have had alone");
            assertTrue(known.isSuccess());
            assertEquals("bad_request", assertThrows(BadRequestException.class, bad::get).code());
            assertEquals(1, sent.get());
            assertEquals("after the failures", page.next());
        }
    }

    @Test
    void aBatchRunsAsyncAndOnlyOnce() throws Exception {
        PushBatch batch = push.batch();
        BatchResult<Integer> count = batch.add(push.calls().getClientCount());
        List<BatchResult<?>> results = batch.executeAsync().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(count), results);
        assertEquals(0, count.get());
        assertThrows(IllegalStateException.class, batch::execute);
        assertThrows(IllegalStateException.class, () -> batch.add(push.calls().sendToAll("late")));
        assertEquals(List.of(), push.batch().execute(), "an empty batch sends nothing");
    }

    @Test
    void aBatchWithAWrongSecretThrowsAsAWhole() {
        try (PushClient wrong = push.newBuilder().secret("wrong").build()) {
            PushBatch batch = wrong.batch();
            BatchResult<Integer> sent = batch.add(wrong.calls().sendToAll("x"));
            assertThrows(UnauthorizedException.class, batch::execute);
            assertFalse(sent.isDone());
        }
    }

    @Test
    void aBatchTakesOnlyItsOwnClientsCalls() {
        try (PushClient other = push.newBuilder().build()) {
            PushCall<Integer> foreign = other.calls().getClientCount();
            PushBatch batch = push.batch();
            assertThrows(IllegalArgumentException.class, () -> batch.add(foreign));
            assertEquals(0, batch.size());
        }
    }
}
