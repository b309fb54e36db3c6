package io.pushgate.client;

import java.util.function.LongSupplier;

/**
 * Whether calls should go to one admin URL: closed (they should), open (not, for a cool-down, since its last
 * failure), half-open (the cool-down is over and one call probes it; its outcome closes or reopens the circuit).
 *
 * <p>One failure opens it: a connect failure or an attempt that timed out, which for a push-server means it is
 * down or stalled (an answer, any answer, counts as success). A probe that never reports back is not waited for:
 * after another cool-down the next caller probes again. Thread-safe.
 */
final class CircuitBreaker {
    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final long coolDownNanos;
    private final LongSupplier nanoClock;
    private State state = State.CLOSED;
    /** When the circuit last opened, or when the running probe started. */
    private long since;

    /**
     * @param coolDownNanos how long the circuit stays open before a probe
     * @param nanoClock     a monotonic clock, {@link System#nanoTime} outside tests
     */
    CircuitBreaker(long coolDownNanos, LongSupplier nanoClock) {
        this.coolDownNanos = coolDownNanos;
        this.nanoClock = nanoClock;
    }

    /** True while calls go to this URL as usual. */
    synchronized boolean isClosed() {
        return state == State.CLOSED;
    }

    /**
     * Whether a call may go to this URL now: always while closed; when {@code mayProbe} and the cool-down (or a
     * silent probe's cool-down) is over, this call becomes the probe and the circuit is half-open.
     */
    synchronized boolean allows(boolean mayProbe) {
        if (state == State.CLOSED) {
            return true;
        }
        long now = nanoClock.getAsLong();
        if (!mayProbe || now - since < coolDownNanos) {
            return false;
        }
        state = State.HALF_OPEN;
        since = now;
        return true;
    }

    /** The URL answered: calls go to it again. Returns true if it was out of rotation until now. */
    synchronized boolean succeeded() {
        boolean wasOut = state != State.CLOSED;
        state = State.CLOSED;
        return wasOut;
    }

    /**
     * The URL could not be reached, or did not answer in time: out of rotation for a cool-down from now. Returns
     * true if it was in rotation until now.
     */
    synchronized boolean failed() {
        boolean wasIn = state == State.CLOSED;
        state = State.OPEN;
        since = nanoClock.getAsLong();
        return wasIn;
    }
}
