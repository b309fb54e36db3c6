package io.pushgate.webapi.http;

/**
 * Every write a user (or an anonymous caller) can repeat, with its budget: one {@link RateLimiter} per kind, all
 * built here (in memory or in Redis) so the budgets are read in one place (README, "Rate limits"). The fixed
 * budgets are far above what a page does: a page binds once per (re)connect and marks a conversation read when a
 * message is shown.
 *
 * @param messages          sends, replays of a client_msg_id included: RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST
 * @param uploads           image uploads: the same budget as messages, in a bucket of their own
 * @param reads             read positions and receipts: {@value #READS_PER_SECOND}/s, {@value #READS_BURST} at once
 * @param groupChanges      creating, joining, leaving a room and inviting to it: {@value #GROUP_CHANGES_PER_SECOND}/s,
 *                          {@value #GROUP_CHANGES_BURST} at once
 * @param binds             POST /api/bind: {@value #BINDS_PER_SECOND}/s, {@value #BINDS_BURST} at once
 * @param loginsPerUsername login attempts per username (known or not): LOGIN_ATTEMPTS_PER_USERNAME at once, refilled
 *                          over {@value #USERNAME_REFILL_SECONDS} s; a successful login resets it
 * @param loginsPerAddress  failed login attempts per client address: LOGIN_ATTEMPTS_PER_ADDRESS at once, refilled
 *                          over {@value #ADDRESS_REFILL_SECONDS} s (a successful login gives its token back)
 */
public record RateLimits(RateLimiter messages, RateLimiter uploads, RateLimiter reads, RateLimiter groupChanges,
                         RateLimiter binds, RateLimiter loginsPerUsername, RateLimiter loginsPerAddress) {
    static final double READS_PER_SECOND = 10;
    static final int READS_BURST = 100;
    static final double GROUP_CHANGES_PER_SECOND = 0.5;
    static final int GROUP_CHANGES_BURST = 20;
    static final double BINDS_PER_SECOND = 1;
    static final int BINDS_BURST = 30;
    static final int USERNAME_REFILL_SECONDS = 300;
    static final int ADDRESS_REFILL_SECONDS = 120;

    /**
     * The limits with the configured budgets, each built by {@code buckets} ({@link MemoryRateLimiter#factory} or
     * the Redis one).
     */
    public static RateLimits of(double messagesPerSecond, int messagesBurst, int loginsPerUsername,
                                int loginsPerAddress, RateLimiter.Factory buckets) {
        return new RateLimits(
                buckets.create("msg", "messages", messagesPerSecond, messagesBurst),
                buckets.create("upl", "uploads", messagesPerSecond, messagesBurst),
                buckets.create("read", "read receipts", READS_PER_SECOND, READS_BURST),
                buckets.create("grp", "group changes", GROUP_CHANGES_PER_SECOND, GROUP_CHANGES_BURST),
                buckets.create("bind", "binds", BINDS_PER_SECOND, BINDS_BURST),
                buckets.create("login-user", "login attempts for this username",
                        (double) loginsPerUsername / USERNAME_REFILL_SECONDS, loginsPerUsername),
                buckets.create("login-addr", "login attempts from this address",
                        (double) loginsPerAddress / ADDRESS_REFILL_SECONDS, loginsPerAddress));
    }
}
