package io.pushgate.webapi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.server.testing.AdminTestClient;
import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every write a user can repeat has a budget (http.RateLimits, default budgets): past it 429 rate_limited with
 * Retry-After, and nothing is pushed or stored for the refused requests.
 */
class WriteLimitsTest extends StackTest {
    /** More than any budget plus what it refills while the loop runs. */
    private static final int CAP = 400;

    /** Repeats {@code write} until it is refused; returns how many were accepted (fails past {@link #CAP}). */
    private static int untilRefused(Supplier<Reply> write, int acceptedStatus) {
        for (int accepted = 0; accepted < CAP; accepted++) {
            Reply reply = write.get();
            if (reply.status() == 429) {
                assertEquals("rate_limited", reply.errorCode(), reply.toString());
                long retryAfter = Long.parseLong(reply.headers().get("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 300, "Retry-After " + retryAfter);
                return accepted;
            }
            assertEquals(acceptedStatus, reply.status(), reply.toString());
        }
        throw new AssertionError("still accepted after " + CAP + " writes");
    }

    /** Sends a marker message to {@code socket}'s user and returns every frame of {@code type} before it. */
    private static int framesBeforeMarker(Socket socket, User recipient, String type) {
        User marker = stack.newUser("buyer");
        String text = "marker " + System.nanoTime();
        assertEquals(201, marker.send(Map.of("to_uid", recipient.uid, "type", "text", "content", text)).status());
        int count = 0;
        while (true) {
            JsonNode frame = socket.nextFrame();
            if ("message".equals(frame.path("type").asString())
                    && text.equals(frame.path("message").path("content").asString())) {
                return count;
            }
            if (type.equals(frame.path("type").asString())) {
                count++;
            }
        }
    }

    @Test
    void replaysOfAClientMsgIdCountAgainstTheSendBudget() {
        User sender = stack.newUser("buyer");
        User recipient = stack.newUser("buyer");
        try (Socket socket = recipient.connectAndBind()) {
            Map<String, Object> message = Map.of("to_uid", recipient.uid, "type", "text", "content", "again",
                    "client_msg_id", "replayed-1");
            assertEquals(201, sender.send(message).status());
            int replays = untilRefused(() -> sender.send(message), 200);
            assertTrue(replays < 40, replays + " replays accepted with a burst of 20");
            assertEquals(1 + replays, framesBeforeMarker(socket, recipient, "message"),
                    "one frame per accepted send, none for the refused one");
        }
    }

    @Test
    void readReceiptsPastTheBudgetAre429AndPushNothing() {
        User reader = stack.newUser("buyer");
        User peer = stack.newUser("buyer");
        try (Socket socket = peer.connectAndBind()) {
            int reads = untilRefused(() -> reader.post("/api/messages/read",
                    Map.of("peer", peer.uid, "up_to_id", 987_654_321L)), 204);
            assertTrue(reads >= 100 && reads < 200, reads + " reads accepted with a burst of 100");
            assertEquals(reads, framesBeforeMarker(socket, peer, "read"));
        }
    }

    @Test
    void groupChangesPastTheBudgetAre429AndStoreNothing() {
        User user = stack.newUser("buyer");
        int created = untilRefused(() -> user.post("/api/groups", Map.of("name", "spam")), 201);
        assertTrue(created >= 20 && created < 40, created + " rooms created with a burst of 20");
        long mine = 0;
        for (JsonNode g : user.get("/api/groups").body().get("groups")) {
            if (g.get("created_by").asLong() == user.uid) {
                mine++;
            }
        }
        assertEquals(created, mine, "no room stored for a refused create");
        long lobby = user.get("/api/groups").body().get("groups").get(0).get("group_id").asLong();
        Reply join = user.post("/api/groups/" + lobby + "/leave", Map.of());
        assertEquals(429, join.status(), "joins and leaves share the budget");
    }

    @Test
    void bindsPastTheBudgetAre429AndBindNothing() {
        User user = stack.newUser("buyer");
        try (Socket bound = stack.connect(); Socket refused = stack.connect()) {
            int binds = untilRefused(() -> user.post("/api/bind", Map.of("client_id", bound.clientId)), 200);
            assertTrue(binds >= 30 && binds < 60, binds + " binds accepted with a burst of 30");
            Reply late = user.post("/api/bind", Map.of("client_id", refused.clientId));
            assertEquals(429, late.status(), late.toString());
            AdminTestClient admin = new AdminTestClient(stack.http, stack.pushServer.adminUri(), stack.secret);
            assertEquals(List.of(bound.clientId), admin.call("get_client_ids_by_uid", "uid", Long.toString(user.uid))
                    .get("client_ids").valueStream().map(JsonNode::asString).toList(), "the refused bind bound nothing");
        }
    }

    /**
     * 200 concurrent senders (20 users, 10 threads each) flooding with client_msg_ids, past their budget, on a
     * healthy database, until a bystander has made 10 sends within its budget (at most 20 s): every flood answer
     * is 201 or 429, none 503 (neither a refused nor an accepted send may wait for a pooled connection), and each
     * of the bystander's sends is stored meanwhile.
     */
    @Test
    void concurrentSendersWithClientMsgIdGetNo503() throws Exception {
        User recipient = stack.newUser("buyer");
        User bystander = stack.newUser("buyer");
        List<User> senders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            senders.add(stack.newUser("buyer"));
        }
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(256);
        OkHttpClient http = stack.http.newBuilder().dispatcher(dispatcher).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(200);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch bystanderDone = new CountDownLatch(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Long> bystanderMillis = new ArrayList<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                User sender = senders.get(t % senders.size());
                running.add(threads.submit(() -> {
                    start.await();
                    while (bystanderDone.getCount() > 0 && System.nanoTime() < deadline) {
                        Map<String, Object> body = Map.of("to_uid", recipient.uid, "type", "text", "content", "flood",
                                "client_msg_id", "flood-" + ids.incrementAndGet());
                        Request request = sender.request("/api/messages")
                                .post(RequestBody.create(stack.json.writeValueAsBytes(body), TestStack.JSON)).build();
                        try (Response response = http.newCall(request).execute()) {
                            statuses.computeIfAbsent(response.code(), c -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int i = 0; i < 10; i++) { // within the bystander's burst of 20
                long began = System.nanoTime();
                Reply sent = bystander.send(Map.of("to_uid", recipient.uid, "type", "text", "content", "bystander " + i,
                        "client_msg_id", "bystander-" + i));
                bystanderMillis.add((System.nanoTime() - began) / 1_000_000);
                assertEquals(201, sent.status(), "bystander send " + i + ": " + sent);
            }
            assertTrue(System.nanoTime() < deadline, "the bystander was served while the flood ran: "
                    + bystanderMillis + " ms; flood so far " + statuses);
            bystanderDone.countDown();
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            bystanderDone.countDown();
            threads.shutdownNow();
            dispatcher.executorService().shutdown();
        }
        Map<Integer, Integer> unexpected = new TreeMap<>();
        statuses.forEach((status, count) -> {
            if (status != 201 && status != 429) {
                unexpected.put(status, count.get());
            }
        });
        assertEquals(Map.of(), unexpected, "only 201 and 429 expected; all: " + statuses);
        System.out.println("200 concurrent senders: " + statuses + "; meanwhile the bystander's sends took "
                + bystanderMillis + " ms");
        assertTrue(statuses.values().stream().mapToInt(AtomicInteger::get).sum() > 1000, "a flood: " + statuses);
        assertTrue(statuses.get(201).get() >= 20 * 20, "every sender's burst was stored: " + statuses);
        assertTrue(statuses.get(429).get() > 0, "the flood went past the budget: " + statuses);
    }
}
