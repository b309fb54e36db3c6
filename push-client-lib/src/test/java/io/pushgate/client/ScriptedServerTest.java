package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client against a scripted server (OkHttp's MockWebServer): the answers no healthy push-server gives, each
 * run the three ways a call runs (executed, enqueued, in a batch).
 */
class ScriptedServerTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    MockWebServer server;
    PushClient push;

    /** The three ways to run a call; each reports the PushException the call ended with. */
    enum Way {
        EXECUTE {
            @Override
            <T> T run(PushClient push, PushCall<T> call) {
                return call.execute();
            }
        },
        ENQUEUE {
            @Override
            <T> T run(PushClient push, PushCall<T> call) throws Exception {
                try {
                    return call.enqueue().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw (RuntimeException) e.getCause();
                }
            }
        },
        BATCH {
            @Override
            <T> T run(PushClient push, PushCall<T> call) {
                PushBatch batch = push.batch();
                BatchResult<T> result = batch.add(call);
                batch.execute();
                return result.get();
            }
        };

        abstract <T> T run(PushClient push, PushCall<T> call) throws Exception;

        PushException fails(PushClient push, PushCall<?> call) {
            return assertThrows(PushException.class, () -> run(push, call), name());
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = ScriptedServers.start();
        push = builder().build();
    }

    @AfterEach
    void stopServer() {
        push.close();
        server.close();
    }

    PushClient.Builder builder() {
        return PushClient.builder().adminUrls(server.url("/").toString()).secret("s");
    }

    void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    // ---- bad_response: a 200 whose body is not the contract's

    @ParameterizedTest
    @EnumSource(Way.class)
    void malformedJsonIsABadResponse(Way way) {
        answer(200, "{\"delivered\":");
        PushException e = way.fails(push, push.calls().sendToUid("1", "x"));
        assertEquals("bad_response", e.code());
        assertEquals(200, e.status());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void jsonThatIsNotAnObjectIsABadResponse(Way way) {
        answer(200, "[1,2]");
        assertEquals("bad_response", way.fails(push, push.calls().isUidOnline("1")).code());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void anHtmlPageWithA200IsABadResponse(Way way) {
        answer(200, "<html><body>Welcome to nginx!</body></html>");
        assertEquals("bad_response", way.fails(push, push.calls().getAllUids()).code());
    }

    @ParameterizedTest
    @EnumSource(value = Way.class, names = {"EXECUTE", "ENQUEUE"})
    void aFieldOfTheWrongTypeIsABadResponse(Way way) {
        answer(200, "{\"count\":\"many\"}");
        PushException e = way.fails(push, push.calls().getClientCount());
        assertEquals("bad_response", e.code());
        assertTrue(e.getMessage().contains("get_client_count"), e.getMessage());
        answer(200, "{\"online\":true,\"uid\":null,\"groups\":[],\"session\":{},\"connected_at\":\"yesterday\"}");
        assertEquals("bad_response", way.fails(push, push.calls().getClientInfo("a.b")).code());
    }

    @Test
    void aBatchResultOfTheWrongTypeFailsThatCallAlone() {
        answer(200, "{\"results\":[{\"count\":\"many\"},{\"count\":2}]}");
        PushBatch batch = push.batch();
        BatchResult<Integer> bad = batch.add(push.calls().getClientCount());
        BatchResult<Integer> good = batch.add(push.calls().getUidCount());
        batch.execute();
        assertEquals("bad_response", assertThrows(PushException.class, bad::get).code());
        assertEquals(2, good.get());
    }

    @Test
    void aBatchAnswerOfTheWrongShapeFailsTheWholeBatch() {
        for (String answer : List.of("{\"results\":[{\"delivered\":1}]}", "{\"results\":{}}", "{}",
                "{\"results\":[{\"delivered\":1},7]}")) {
            answer(200, answer);
            PushBatch batch = push.batch();
            BatchResult<Integer> first = batch.add(push.calls().sendToAll("x"));
            batch.add(push.calls().sendToAll("y"));
            PushException e = assertThrows(PushException.class, batch::execute, answer);
            assertEquals("bad_response", e.code(), answer);
            assertFalse(first.isDone(), "no result is filled: " + answer);
        }
    }

    @Test
    void coalescedCallsAllFailWhenTheirBatchAnswerHasTheWrongShape() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getUrl().encodedPath().equals("/v1/batch")) {
                    return new MockResponse.Builder().body("{\"results\":[]}").build();
                }
                queued.await(5, TimeUnit.SECONDS); // the first call holds the only request slot
                return new MockResponse.Builder().body("{\"delivered\":1}").build();
            }
        });
        try (PushClient one = builder().maxAsyncRequests(1).build()) {
            CompletableFuture<Integer> first = one.calls().sendToAll("first").enqueue();
            List<CompletableFuture<Integer>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(one.calls().sendToAll("m" + i).enqueue());
            }
            queued.countDown();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            for (CompletableFuture<Integer> call : waiting) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> call.get(5, TimeUnit.SECONDS));
                assertEquals("bad_response", assertInstanceOf(PushException.class, e.getCause()).code());
            }
        }
    }

    // ---- http_<code>: an error status without the contract's error body

    @ParameterizedTest
    @EnumSource(Way.class)
    void anHtmlErrorPageIsItsStatusAsACode(Way way) {
        answer(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
        PushException e = way.fails(push, push.calls().sendToUid("1", "x"));
        assertInstanceOf(UnavailableException.class, e);
        assertEquals("http_502", e.code());
        assertEquals(502, e.status());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void unexpectedStatusesMapToTheirExceptions(Way way) {
        Map<Integer, Class<? extends PushException>> expected = Map.of(
                401, UnauthorizedException.class, 413, BadRequestException.class, 400, BadRequestException.class,
                500, UnavailableException.class, 418, PushException.class, 404, PushException.class);
        for (Map.Entry<Integer, Class<? extends PushException>> status : expected.entrySet()) {
            answer(status.getKey(), status.getKey() == 500 ? "{\"oops\":1}" : "");
            PushException e = way.fails(push, push.calls().getAllGroups());
            assertEquals(status.getValue(), e.getClass(), "status " + status.getKey());
            assertEquals("http_" + status.getKey(), e.code());
            assertEquals(status.getKey(), e.status());
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void theContractsErrorBodyKeepsItsCode(Way way) {
        answer(503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"redis is down\"}}");
        PushException e = way.fails(push, push.calls().getAllUids());
        assertInstanceOf(UnavailableException.class, e);
        assertEquals("unavailable", e.code());
        assertEquals("redis is down", e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aBodyCutOffMidwayFailsTheAttempt(Way way) {
        server.enqueue(new MockResponse.Builder().body("{\"delivered\":1}")
                .setHeader("Content-Length", 100)
                .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
                .build());
        PushException e = way.fails(push, push.calls().bindUid("a.b", "1"));
        assertInstanceOf(UnavailableException.class, e);
        assertEquals("io_error", e.code(), "the answer never arrived whole: the call may or may not have run");
        assertEquals(0, e.status());
    }

    // ---- slow answers

    @ParameterizedTest
    @EnumSource(Way.class)
    void aSlowAnswerToAReadHitsTheAttemptTimeoutAndTheNextUrlAnswers(Way way) throws Exception {
        try (MockWebServer healthy = ScriptedServers.start()) {
            healthy.enqueue(new MockResponse.Builder().body(way == Way.BATCH ? "{\"results\":[{\"online\":true}]}"
                    : "{\"online\":true}").build());
            server.enqueue(new MockResponse.Builder().body("{\"online\":false}")
                    .headersDelay(3, TimeUnit.SECONDS).build());
            try (PushClient two = builder().adminUrls(server.url("/").toString(), healthy.url("/").toString())
                    .attemptTimeout(Duration.ofMillis(200)).timeout(Duration.ofSeconds(5)).build()) {
                long start = System.nanoTime();
                assertTrue(way.run(two, two.calls().isUidOnline("1")), "the healthy URL's answer");
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMs < 2_000, "cut at the attempt timeout, not the server's 3 s: " + tookMs + " ms");
                assertEquals(1, server.getRequestCount());
                assertEquals(1, healthy.getRequestCount());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Way.class)
    void aSlowAnswerToAChangeIsNotSentAgainAndTimesOut(Way way) throws Exception {
        try (MockWebServer healthy = ScriptedServers.start()) {
            server.enqueue(new MockResponse.Builder().body(way == Way.BATCH ? "{\"results\":[{}]}" : "{}")
                    .headersDelay(3, TimeUnit.SECONDS).build());
            try (PushClient two = builder().adminUrls(server.url("/").toString(), healthy.url("/").toString())
                    .attemptTimeout(Duration.ofMillis(200)).timeout(Duration.ofMillis(800)).build()) {
                long start = System.nanoTime();
                PushException e = way.fails(two, two.calls().joinGroup("a.b", "g"));
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertInstanceOf(UnavailableException.class, e);
                assertEquals("timeout", e.code());
                assertTrue(tookMs >= 700 && tookMs < 2_500, "waited out its timeout, not the attempt's: " + tookMs);
                assertEquals(0, healthy.getRequestCount(), "never sent again");
            }
        }
    }

    // ---- batches: statuses and the size cap

    @Test
    void eachFailedCallOfABatchKeepsTheStatusTheServerGaveIt() {
        answer(200, """
                {"results":[
                  {"error":{"code":"client_not_found","message":"gone","status":404}},
                  {"error":{"code":"teapot","message":"short and stout","status":418}},
                  {"error":{"code":"bad_request","message":"bad uid","status":400}},
                  {"delivered":1}
                ]}""");
        PushBatch batch = push.batch();
        BatchResult<Void> gone = batch.add(push.calls().bindUid("a.b", "1"));
        BatchResult<Void> teapot = batch.add(push.calls().bindUid("a.b", "1"));
        BatchResult<Integer> bad = batch.add(push.calls().sendToUid("x", "y"));
        BatchResult<Integer> sent = batch.add(push.calls().sendToUid("1", "y"));
        batch.execute();
        ClientNotFoundException notFound = assertInstanceOf(ClientNotFoundException.class, gone.error());
        assertEquals(404, notFound.status());
        assertEquals("gone", notFound.getMessage());
        assertEquals(PushException.class, teapot.error().getClass());
        assertEquals(418, teapot.error().status(), "the server's status, not one mapped from the code (500)");
        assertEquals(400, assertInstanceOf(BadRequestException.class, bad.error()).status());
        assertEquals(1, sent.get());
    }

    @Test
    void aServerThatSendsNoStatusPerCallGetsItMappedFromTheCode() {
        answer(200, """
                {"results":[
                  {"error":{"code":"client_not_found","message":"m"}},
                  {"error":{"code":"bad_request","message":"m"}},
                  {"error":{"code":"unknown_method","message":"m"}},
                  {"error":{"code":"unavailable","message":"m"}},
                  {"error":{"code":"something_new","message":"m"}}
                ]}""");
        PushBatch batch = push.batch();
        List<BatchResult<Void>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(batch.add(push.calls().bindUid("a.b", "1")));
        }
        batch.execute();
        assertEquals(List.of(404, 400, 404, 503, 500), results.stream().map(r -> r.error().status()).toList());
        assertInstanceOf(ClientNotFoundException.class, results.get(0).error());
        assertInstanceOf(UnavailableException.class, results.get(3).error());
    }

    @Test
    void aBatchOverTheBodyCapFailsBeforeItIsSent() {
        try (PushClient capped = builder().maxBodyBytes(1024).build()) {
            PushBatch batch = capped.batch();
            BatchResult<Integer> sent = null;
            for (int i = 0; i < 20; i++) {
                sent = batch.add(capped.calls().sendToUid("u" + i, "x".repeat(50)));
            }
            BadRequestException e = assertThrows(BadRequestException.class, batch::execute);
            assertEquals("payload_too_large", e.code());
            assertEquals(0, e.status(), "no answer: nothing was sent");
            assertTrue(e.getMessage().contains("maxBodyBytes (1024"), e.getMessage());
            assertTrue(e.getMessage().contains("split the batch"), e.getMessage());
            assertFalse(sent.isDone());

            PushCall<Integer> big = capped.calls().sendToAll("x".repeat(2000));
            assertEquals("payload_too_large", assertThrows(BadRequestException.class, big::execute).code());
            ExecutionException async = assertThrows(ExecutionException.class,
                    () -> big.enqueue().get(5, TimeUnit.SECONDS));
            assertEquals("payload_too_large", assertInstanceOf(BadRequestException.class, async.getCause()).code());
            assertEquals(0, server.getRequestCount());
        }
    }

    @Test
    void coalescedCallsAreSplitIntoBatchesThatFitTheCap() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        List<Integer> bodySizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                bodySizes.add(request.getBody().size());
                if (!request.getUrl().encodedPath().equals("/v1/batch")) {
                    queued.await(5, TimeUnit.SECONDS); // the first call holds the only request slot
                    return new MockResponse.Builder().body("{\"delivered\":1}").build();
                }
                int ops = JSON.readTree(request.getBody().utf8()).get("ops").size();
                List<Map<String, Integer>> results = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                    results.add(Map.of("delivered", 1));
                }
                return new MockResponse.Builder().body(JSON.writeValueAsString(Map.of("results", results))).build();
            }
        });
        try (PushClient one = builder().maxAsyncRequests(1).maxBodyBytes(2000).build()) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 21; i++) {
                calls.add(one.calls().sendToUid("u" + i, "x".repeat(300)).enqueue());
            }
            queued.countDown();
            for (CompletableFuture<Integer> call : calls) {
                assertEquals(1, call.get(5, TimeUnit.SECONDS));
            }
            assertTrue(bodySizes.size() > 2, "20 waiting calls (~7 KB) need several batches: " + bodySizes);
            assertTrue(bodySizes.stream().allMatch(size -> size <= 2000), bodySizes.toString());
        }
    }

    // ---- records: every field the server sends

    @Test
    void statsKeepEveryFieldTheServerSends() throws Exception {
        answer(200, """
                {"clients":7,"uids":5,"groups":2,"frames_sent":100,"frames_dropped":3,"slow_client_closes":1,
                 "node_id":"n1","node_clients":4,"connections_total":9,"uptime_s":60,"nodes":3}""");
        assertEquals(new Stats(7, 5, 2, 100, 3, 1, "n1", 4, 9, 60, 3), push.stats());
        answer(200, "{\"clients\":1,\"node_id\":\"old\"}");
        Stats old = push.stats();
        assertEquals(0, old.nodes(), "a server older than the field");
        assertEquals("old", old.nodeId());
    }

    @Test
    void clientInfoKeepsEveryFieldTheServerSendsAndIsImmutable() {
        answer(200, """
                {"online":true,"uid":"42","groups":["a","b"],"session":{"k":"v","gone":null},
                 "connected_at":"2026-01-02T03:04:05.678Z"}""");
        ClientInfo info = push.getClientInfo("a.b");
        assertTrue(info.online());
        assertEquals("42", info.uid());
        assertEquals(List.of("a", "b"), info.groups());
        Map<String, Object> session = new HashMap<>();
        session.put("k", "v");
        session.put("gone", null);
        assertEquals(session, info.session());
        assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), info.connectedAt());
        assertThrows(UnsupportedOperationException.class, () -> info.session().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> info.groups().add("c"));

        ClientInfo built = new ClientInfo(true, "1", new ArrayList<>(List.of("g")), session, null);
        session.put("k", "changed");
        assertEquals("v", built.session().get("k"), "the record copied the session");
        assertNull(new ClientInfo(false, null, List.of(), null, null).session());
    }

    @Test
    void aSessionReadBackIsImmutable() {
        answer(200, "{\"session\":{\"a\":1}}");
        Map<String, Object> session = push.getSession("a.b").orElseThrow();
        assertEquals(Map.of("a", 1), session);
        assertThrows(UnsupportedOperationException.class, () -> session.put("b", 2));
    }
}
