package io.pushgate.client;

import java.util.List;

/**
 * The order in which one call tries the admin URLs: from its turn in the rotation onwards, first every URL whose
 * circuit lets it in (see {@link CircuitBreaker}), then, as a last resort, the ones left out. Each URL is tried at
 * most once. Not thread-safe: one plan per call.
 */
final class AttemptPlan {
    private final List<CircuitBreaker> breakers;
    private final int start;
    private final boolean mayProbe;
    private final int[] leftOut;
    private int scanned;
    private int leftOutCount;
    private int leftOutTried;

    /**
     * @param start    where in the rotation this call begins, so calls spread over the URLs
     * @param mayProbe whether this call may be the probe of a URL whose cool-down is over (only calls that may
     *                 move on to another URL after a failed attempt should)
     */
    AttemptPlan(List<CircuitBreaker> breakers, int start, boolean mayProbe) {
        this.breakers = breakers;
        this.start = start;
        this.mayProbe = mayProbe;
        this.leftOut = new int[breakers.size()];
    }

    /** The index of the next URL to try, or -1 when every URL has been tried. */
    int next() {
        while (scanned < breakers.size()) {
            int index = (start + scanned++) % breakers.size();
            if (breakers.get(index).allows(mayProbe)) {
                return index;
            }
            leftOut[leftOutCount++] = index;
        }
        return leftOutTried < leftOutCount ? leftOut[leftOutTried++] : -1;
    }

    /** True when the URL last returned by {@link #next()} is the last one this plan has. */
    boolean isLast() {
        return scanned == breakers.size() && leftOutTried == leftOutCount;
    }
}
