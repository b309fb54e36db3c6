package io.pushgate.webapi.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import io.pushgate.webapi.WebApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two web-api instances on one database, as behind a load balancer: their writers commit concurrently, yet a
 * poller that takes its cursor only from sync answers sees every stored id exactly once, and the same
 * client_msg_id sent to both at once is stored once and named by both answers.
 */
class MultiWriterSyncTest {
    private static final Map<String, String> UNLIMITED = Map.of("RATE_LIMIT_BURST", "1000000",
            "RATE_LIMIT_PER_SECOND", "1000000");
    static TestStack stack;
    static WebApi other;

    @BeforeAll
    static void start() {
        stack = TestStack.start(UNLIMITED);
        other = stack.startInstance(UNLIMITED);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** Instance {@code i % 2}: the stack's own or the other one. */
    private static User via(User user, int i) {
        return i % 2 == 0 ? user : user.via(other);
    }

    private static Map<String, Object> text(long to, String content) {
        return Map.of("to_uid", to, "type", "text", "content", content);
    }

    @Test
    void aPollerFollowingNextAfterSkipsNoIdWhileBothInstancesWrite() throws Exception {
        int threads = 8;
        Duration sending = Duration.ofSeconds(6);
        User recipient = stack.newUser("buyer");
        List<User> senders = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            senders.add(via(stack.newUser("buyer"), i));
        }
        Set<Long> answered = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + sending.toNanos();
        List<Future<?>> done = new ArrayList<>();
        for (User sender : senders) {
            done.add(pool.submit(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    Reply sent = sender.send(text(recipient.uid, "m" + n));
                    assertEquals(201, sent.status(), sent.toString());
                    answered.add(sent.body().get("message").get("id").asLong());
                }
                return null;
            }));
        }
        Map<Long, Integer> seen = new HashMap<>();
        long cursor = 0;
        long deadline = end + Duration.ofSeconds(30).toNanos();
        for (int poll = 0; ; poll++) {
            boolean last = done.stream().allMatch(Future::isDone); // every send answered before this sync began
            Reply sync = via(recipient, poll).get("/api/sync?after=" + cursor + "&limit=500");
            assertEquals(200, sync.status(), sync.toString());
            for (JsonNode m : sync.body().get("messages")) {
                seen.merge(m.get("id").asLong(), 1, Integer::sum);
            }
            cursor = sync.body().get("next_after").asLong();
            if (last && !sync.body().get("has_more").asBoolean()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("the poller did not catch up within 30 s of the last send");
            }
        }
        for (Future<?> f : done) {
            f.get(); // a sender's failure
        }
        pool.shutdownNow();

        List<Long> stored = stack.api.jdbi().withHandle(h -> h.createQuery(
                "SELECT id FROM messages WHERE to_uid = :to ORDER BY id").bind("to", recipient.uid)
                .mapTo(Long.class).list());
        Set<Long> skipped = new TreeSet<>(stored);
        skipped.removeAll(seen.keySet());
        List<Long> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        System.out.printf("multi-writer sync: %d stored, %d answered, %d seen, %d skipped, %d seen twice%n",
                stored.size(), answered.size(), seen.size(), skipped.size(), twice.size());
        assertTrue(stored.size() >= 1000, "too few messages to show anything: " + stored.size());
        assertEquals(Set.of(), skipped, "ids the poller's cursor passed before they committed");
        assertEquals(List.of(), twice);
        assertEquals(new TreeSet<>(stored), new TreeSet<>(seen.keySet()));
        assertEquals(new TreeSet<>(stored), new TreeSet<>(answered));
    }

    /** One send of a pair: who answered what. */
    private record Answer(int status, long id, String body) {
    }

    @Test
    void theSameClientMsgIdOnBothInstancesAtOnceIsStoredOnceAndBothAnswersNameIt() throws Exception {
        int lanes = 4;
        int pairsPerLane = 50;
        User recipient = stack.newUser("buyer");
        List<User> laneSenders = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            laneSenders.add(stack.newUser("buyer"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2 * lanes + 2);
        Map<String, Answer[]> pairs = new ConcurrentHashMap<>();
        List<Future<?>> lanesDone = new ArrayList<>();
        for (int lane = 0; lane < lanes; lane++) {
            User sender = laneSenders.get(lane);
            CyclicBarrier together = new CyclicBarrier(2);
            for (int side = 0; side < 2; side++) {
                User through = via(sender, side);
                int s = side;
                int l = lane;
                lanesDone.add(pool.submit(() -> {
                    for (int p = 0; p < pairsPerLane; p++) {
                        String key = "pair-" + l + "-" + p;
                        together.await(10, TimeUnit.SECONDS);
                        Reply r = through.send(Map.of("to_uid", recipient.uid, "type", "text", "content", key,
                                "client_msg_id", key));
                        long id = r.status() < 300 ? r.body().get("message").get("id").asLong() : -1;
                        pairs.computeIfAbsent(key, k -> new Answer[2])[s] = new Answer(r.status(), id, r.toString());
                    }
                    return null;
                }));
            }
        }
        // unrelated sends on both instances meanwhile, so that they share batches with the pairs
        AtomicBoolean running = new AtomicBoolean(true);
        Map<Long, Integer> unrelated = new ConcurrentHashMap<>();
        List<String> unrelatedFailures = new ArrayList<>();
        List<Future<?>> bystanders = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            User bystander = via(stack.newUser("buyer"), side);
            bystanders.add(pool.submit(() -> {
                for (int n = 0; running.get(); n++) {
                    Reply r = bystander.send(text(recipient.uid, "bystander " + n));
                    if (r.status() == 201) {
                        unrelated.put(r.body().get("message").get("id").asLong(), n);
                    } else {
                        synchronized (unrelatedFailures) {
                            unrelatedFailures.add(r.toString());
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : lanesDone) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            for (Future<?> f : bystanders) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }

        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Answer[]> pair : new java.util.TreeMap<>(pairs).entrySet()) {
            Answer a = pair.getValue()[0];
            Answer b = pair.getValue()[1];
            boolean oneStoredOneReplayed = (a.status() == 201 && b.status() == 200)
                    || (a.status() == 200 && b.status() == 201);
            if (!oneStoredOneReplayed || a.id() != b.id()) {
                wrong.add(pair.getKey() + ": " + a.body() + " / " + b.body());
            }
        }
        Map<String, Integer> rows = new HashMap<>();
        stack.api.jdbi().useHandle(h -> h.createQuery("SELECT client_msg_id, COUNT(*) AS n FROM messages "
                        + "WHERE to_uid = :to AND client_msg_id IS NOT NULL GROUP BY client_msg_id")
                .bind("to", recipient.uid)
                .map((rs, ctx) -> Map.entry(rs.getString("client_msg_id"), rs.getInt("n")))
                .forEach(e -> rows.put(e.getKey(), e.getValue())));
        long storedUnrelated = stack.api.jdbi().onDemand(MessageDao.class).findAll(
                unrelated.isEmpty() ? List.of(-1L) : unrelated.keySet()).size();
        System.out.printf("same client_msg_id on two instances: %d pairs, %d answered wrongly; %d unrelated sends,"
                + " %d failed%n", pairs.size(), wrong.size(), unrelated.size(), unrelatedFailures.size());
        assertEquals(lanes * pairsPerLane, pairs.size());
        assertEquals(List.of(), wrong);
        assertEquals(lanes * pairsPerLane, rows.size());
        assertEquals(Set.of(1), new TreeSet<>(rows.values()), "rows per client_msg_id");
        assertEquals(List.of(), unrelatedFailures);
        assertTrue(unrelated.size() > 0, "no unrelated send went through");
        assertEquals(unrelated.size(), storedUnrelated);
    }
}
