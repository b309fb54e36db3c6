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

/** The async surface against a real push-server. */
class AsyncPushClientTest extends RealServerTest {
    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void asyncCallsCompleteWithTheSameResultsAsBlockingOnes() throws Exception {
        try (WsTestClient page = connect()) {
            AsyncPushClient async = push.async();
            await(async.bindUid(page.clientId(), "42"));
            await(async.joinGroup(page.clientId(), "room"));
            await(async.setSession(page.clientId(), Map.of("a", 1)));
            await(async.updateSession(page.clientId(), Map.of("b", 2)));

            assertEquals(1, await(async.sendToUid("42", "hello")));
            assertEquals("hello", page.next());
            assertEquals(1, await(async.sendToGroup("room", Map.of("k", "v"))));
            assertEquals("{\"k\":\"v\"}", page.next());
            assertEquals(1, await(async.sendToClient(page.clientId(), "direct")));
            assertEquals("direct", page.next());
            assertEquals(1, await(async.sendToAll("all")));
            assertEquals("all", page.next());

            assertTrue(await(async.isOnline(page.clientId())));
            assertTrue(await(async.isUidOnline("42")));
            assertEquals(Optional.of("42"), await(async.getUidByClientId(page.clientId())));
            assertEquals(List.of(page.clientId()), await(async.getClientIdsByUid("42")));
            assertEquals(List.of(page.clientId()), await(async.getClientIdsByGroup("room")));
            assertEquals(List.of("42"), await(async.getUidsByGroup("room")));
            assertEquals(List.of("42"), await(async.getAllUids()));
            assertEquals(Map.of("room", 1), await(async.getAllGroups()));
            assertEquals(1, await(async.getClientCount()));
            assertEquals(1, await(async.getUidCount("room")));
            assertEquals(Optional.of(Map.of("a", 1, "b", 2)), await(async.getSession(page.clientId())));
            assertEquals("42", await(async.getClientInfo(page.clientId())).uid());
            assertEquals(1, await(async.stats()).clients());

            await(async.leaveGroup(page.clientId(), "room"));
            await(async.ungroup("room"));
            await(async.unbindUid(page.clientId(), "42"));
            assertEquals(0, await(async.getUidCount()));
            assertTrue(await(async.closeClient(page.clientId(), "bye")));
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
                sends.add(push.async().sendToUid("1", "m" + i));
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
                sends.add(one.async().sendToUid("1", "m" + i));
                if (i == 150) {
                    unknown = one.async().bindUid("no-such-client", "1");
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
            assertEquals(0, await(client.async().getClientCount()));
            assertEquals(List.of("/v1/get_client_count"), recording.paths());
        }
    }

    @Test
    void aWrongSecretFailsEveryCoalescedCall() throws Exception {
        try (PushClient wrong = push.newBuilder().secret("wrong").maxAsyncRequests(1).build()) {
            List<CompletableFuture<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sends.add(wrong.async().sendToAll("x"));
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
                () -> await(push.async().bindUid("no-such-client", "1")));
        ClientNotFoundException notFound = assertInstanceOf(ClientNotFoundException.class, e.getCause());
        assertEquals("client_not_found", notFound.code());

        try (PushClient wrong = push.newBuilder().secret("wrong").build()) {
            ExecutionException unauthorized = assertThrows(ExecutionException.class,
                    () -> await(wrong.async().sendToAll("x")));
            assertInstanceOf(UnauthorizedException.class, unauthorized.getCause());
        }
    }
}
