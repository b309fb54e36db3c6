package io.pushgate.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The circuit of one admin URL, on a clock the test moves by hand. */
class CircuitBreakerTest {
    static final long COOL_DOWN = 1_000;

    final AtomicLong clock = new AtomicLong(5_000);
    final CircuitBreaker breaker = new CircuitBreaker(COOL_DOWN, clock::get);

    @Test
    void closedLetsEveryCallThrough() {
        assertTrue(breaker.isClosed());
        assertTrue(breaker.allows(false));
        assertTrue(breaker.allows(true));
        assertFalse(breaker.succeeded(), "it was in rotation already");
    }

    @Test
    void oneFailureOpensItForTheCoolDown() {
        assertTrue(breaker.failed(), "it just left the rotation");
        assertFalse(breaker.isClosed());
        assertFalse(breaker.allows(true));
        clock.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allows(true), "still cooling down");
        assertFalse(breaker.failed(), "a second failure while open is not a new opening");
    }

    @Test
    void afterTheCoolDownOneCallProbesAndTheOthersStayOut() {
        breaker.failed();
        clock.addAndGet(COOL_DOWN);
        assertFalse(breaker.allows(false), "a call that could not move on must not be the probe");
        assertTrue(breaker.allows(true), "the probe");
        assertFalse(breaker.allows(true), "one probe at a time");
        assertFalse(breaker.isClosed());
    }

    @Test
    void aProbeThatIsAnsweredClosesIt() {
        breaker.failed();
        clock.addAndGet(COOL_DOWN);
        assertTrue(breaker.allows(true));
        assertTrue(breaker.succeeded(), "back in rotation");
        assertTrue(breaker.isClosed());
        assertTrue(breaker.allows(false));
    }

    @Test
    void aProbeThatFailsReopensItForAFreshCoolDown() {
        breaker.failed();
        clock.addAndGet(COOL_DOWN);
        assertTrue(breaker.allows(true));
        clock.addAndGet(300);
        breaker.failed();
        clock.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allows(true), "the cool-down counts from the probe's failure");
        clock.addAndGet(1);
        assertTrue(breaker.allows(true));
    }

    @Test
    void aProbeThatNeverReportsIsReplacedAfterAnotherCoolDown() {
        breaker.failed();
        clock.addAndGet(COOL_DOWN);
        assertTrue(breaker.allows(true));
        clock.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allows(true));
        clock.addAndGet(1);
        assertTrue(breaker.allows(true), "a new probe");
    }

    @Test
    void anAnswerOutsideAProbeClosesItToo() {
        breaker.failed(); // e.g. a call that was in flight when another one timed out
        assertTrue(breaker.succeeded());
        assertTrue(breaker.allows(false));
    }
}
