package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Calls {@link PushCall#enqueue() enqueued} against a real push-server. */
class AsyncCallsTest extends RealServerTest {
    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void asyncCallsCompleteWithTheSameResultsAsBlockingOnes() throws Exception {
        try (WsTestClient page = connect()) {
            PushCalls calls = push.calls();
            await(calls.bindUid(page.clientId(), "42").enqueue());
            await(calls.joinGroup(page.clientId(), "room").enqueue());
            await(calls.setSession(page.clientId(), Map.of("a", 1)).enqueue());
            await(calls.updateSession(page.clientId(), Map.of("b", 2)).enqueue());

            assertEquals(1, await(calls.sendToUid("42", "hello").enqueue()));
            assertEquals("hello", page.next());
            assertEquals(1, await(calls.sendToGroup("room", Map.of("k", "v")).enqueue()));
            assertEquals("{\"k\":\"v\"}", page.next());
            assertEquals(1, await(calls.sendToClient(page.clientId(), "direct").enqueue()));
            assertEquals("direct", page.next());
            assertEquals(1, await(calls.sendToAll("all").enqueue()));
            assertEquals("all", page.next());

            assertTrue(await(calls.isOnline(page.clientId()).enqueue()));
            assertTrue(await(calls.isUidOnline("42").enqueue()));
            assertEquals(Optional.of("42"), await(calls.getUidByClientId(page.clientId()).enqueue()));
            assertEquals(List.of(page.clientId()), await(calls.getClientIdsByUid("42").enqueue()));
            assertEquals(List.of(page.clientId()), await(calls.getClientIdsByGroup("room").enqueue()));
            assertEquals(List.of("42"), await(calls.getUidsByGroup("room").enqueue()));
            assertEquals(List.of("42"), await(calls.getAllUids().enqueue()));
            assertEquals(Map.of("room", 1), await(calls.getAllGroups().enqueue()));
            assertEquals(1, await(calls.getClientCount().enqueue()));
            assertEquals(1, await(calls.getUidCount("room").enqueue()));
            assertEquals(Optional.of(Map.of("a", 1, "b", 2)), await(calls.getSession(page.clientId()).enqueue()));
            assertEquals("42", await(calls.getClientInfo(page.clientId()).enqueue()).uid());
            assertEquals(1, await(calls.stats().enqueue()).clients());

            await(calls.leaveGroup(page.clientId(), "room").enqueue());
            await(calls.ungroup("room").enqueue());
            await(calls.unbindUid(page.clientId(), "42").enqueue());
            assertEquals(0, await(calls.getUidCount().enqueue()));
            assertTrue(await(calls.closeClient(page.clientId(), "bye").enqueue()));
            assertEquals("bye", page.next());
            assertEquals(1000, page.awaitClose(), "closed normally by close_client");
        }
    }

    @Test
    void manyAsyncCallsInFlightAllComplete() throws Exception {
        try (WsTestClient page = connect()) {
            push.bindUid(page.clientId(), "1");
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sends.add(push.calls().sendToUid("1", "m" + i).enqueue());
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> send : sends) {
                assertEquals(1, send.join());
            }
            for (int i = 0; i < 500; i++) {
                assertTrue(page.next().startsWith("m"));
            }
        }
    }

    @Test
    void callsMadeWhileRequestsAreInFlightTravelTogetherWithAResultEach() throws Exception {
        try (RecordingHttp recording = new RecordingHttp();
             WsTestClient page = connect();
             PushClient one = push.newBuilder().okHttpClient(recording.client).maxAsyncRequests(1).build()) {
            push.bindUid(page.clientId(), "1");
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            CompletableFuture<Void> unknown = null;
            for (int i = 0; i < 300; i++) {
                sends.add(one.calls().sendToUid("1", "m" + i).enqueue());
                if (i == 150) {
                    unknown = one.calls().bindUid("no-such-client", "1").enqueue();
                }
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Integer> send : sends) {
                assertEquals(1, send.join());
            }
            ExecutionException e = assertThrows(ExecutionException.class, unknown::get);
            ClientNotFoundException notFound = assertInstanceOf(ClientNotFoundException.class, e.getCause());
            assertEquals(404, notFound.status());

            List<String> paths = recording.paths();
            assertTrue(paths.size() < 301, "coalesced into fewer requests: " + paths.size());
            assertTrue(paths.contains("/v1/batch"), paths.toString());
            for (int i = 0; i < 300; i++) {
                assertEquals("m" + i, page.next(), "one request at a time keeps the calls' order");
            }
        }
    }

    @Test
    void aLoneAsyncCallGoesOutOnItsOwn() throws Exception {
        try (RecordingHttp recording = new RecordingHttp();
             PushClient client = push.newBuilder().okHttpClient(recording.client).build()) {
            assertEquals(0, await(client.calls().getClientCount().enqueue()));
            assertEquals(List.of("/v1/get_client_count"), recording.paths());
        }
    }

    @Test
    void aWrongSecretFailsEveryCoalescedCall() throws Exception {
        try (PushClient wrong = push.newBuilder().secret("wrong").maxAsyncRequests(1).build()) {
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sends.add(wrong.calls().sendToAll("x").enqueue());
            }
            for (CompletableFuture<Integer> send : sends) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> send.get(5, TimeUnit.SECONDS));
                assertInstanceOf(UnauthorizedException.class, e.getCause());
            }
        }
    }

    @Test
    void asyncErrorsFailTheFutureWithTheTypedException() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(push.calls().bindUid("no-such-client", "1").enqueue()));
        ClientNotFoundException notFound = assertInstanceOf(ClientNotFoundException.class, e.getCause());
        assertEquals("client_not_found", notFound.code());

        try (PushClient wrong = push.newBuilder().secret("wrong").build()) {
            ExecutionException unauthorized = assertThrows(ExecutionException.class,
                    () -> await(wrong.calls().sendToAll("x").enqueue()));
            assertInstanceOf(UnauthorizedException.class, unauthorized.getCause());
        }
    }
}
