package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The order one call tries the admin URLs in. */
class AttemptPlanTest {
    static final long COOL_DOWN = 1_000;

    final AtomicLong clock = new AtomicLong();
    final List<CircuitBreaker> breakers = List.of(breaker(), breaker(), breaker());

    CircuitBreaker breaker() {
        return new CircuitBreaker(COOL_DOWN, clock::get);
    }

    static List<Integer> order(AttemptPlan plan) {
        List<Integer> order = new ArrayList<>();
        for (int index = plan.next(); index >= 0; index = plan.next()) {
            order.add(index);
        }
        return order;
    }

    @Test
    void everyUrlOnceFromTheCallsTurnInTheRotation() {
        assertEquals(List.of(0, 1, 2), order(new AttemptPlan(breakers, 0, true)));
        assertEquals(List.of(2, 0, 1), order(new AttemptPlan(breakers, 2, true)));
    }

    @Test
    void urlsOutOfRotationComeLastAsALastResort() {
        breakers.get(0).failed();
        assertEquals(List.of(1, 2, 0), order(new AttemptPlan(breakers, 0, true)));
        assertEquals(List.of(2, 1, 0), order(new AttemptPlan(breakers, 2, false)));
    }

    @Test
    void aUrlDueForItsProbeIsTriedInItsTurnByACallThatMayMoveOn() {
        breakers.get(1).failed();
        clock.addAndGet(COOL_DOWN);
        assertEquals(List.of(2, 0, 1), order(new AttemptPlan(breakers, 1, false)), "not probed by this call");
        assertEquals(List.of(1, 2, 0), order(new AttemptPlan(breakers, 1, true)), "probed in its turn");
        assertEquals(List.of(2, 0, 1), order(new AttemptPlan(breakers, 1, true)), "its probe is running");
    }

    @Test
    void isLastTellsTheFinalAttempt() {
        breakers.get(0).failed();
        AttemptPlan plan = new AttemptPlan(breakers, 0, true);
        assertEquals(1, plan.next());
        assertFalse(plan.isLast());
        assertEquals(2, plan.next());
        assertFalse(plan.isLast(), "the URL out of rotation is still to come");
        assertEquals(0, plan.next());
        assertTrue(plan.isLast());
        assertEquals(-1, plan.next());
    }

    @Test
    void aSingleUrlIsItsOwnLastAttempt() {
        AttemptPlan plan = new AttemptPlan(List.of(breaker()), 0, true);
        assertEquals(0, plan.next());
        assertTrue(plan.isLast());
    }
}
