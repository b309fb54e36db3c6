package io.pushgate.webapi.desk;

import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.user.Role;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The customer-service desk: one account with the {@code support} role that customers write to, answered by
 * any agent. A message to the desk reaches every online agent; an agent's answer is stored and shown as coming
 * from the desk account, and every agent sees it. Staff (agents and the desk account itself) see the whole
 * desk traffic in /api/sync and /api/conversations.
 *
 * <p>Only customers (buyers and sellers) get answers from the desk; staff and admins are written to by name.
 *
 * <p>Without a support account the desk is closed: {@code from_desk} is refused and messages to nobody special.
 *
 * <p>The desk account is looked up in the database again once the last lookup is older than {@code maxAge}
 * ({@link #MAX_AGE} in the app), so a {@code support} account created (or demoted) while web-api runs is seen by
 * every instance within that time, without a restart. That costs one indexed query per instance per
 * {@code maxAge}, nothing per request; the callers' own roles come with their session ({@code auth.Sessions}).
 */
public final class Desk {
    /** How old the desk account's lookup may be: what a change to it waits at most. */
    public static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final Supplier<OptionalLong> lookup;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Lookup last;

    private record Lookup(OptionalLong supportUid, long at) {
    }

    /**
     * @param lookup    finds the support account's uid (a database query)
     * @param maxAge    how long one lookup is used
     * @param nanoTime  the clock ({@code System::nanoTime})
     */
    public Desk(Supplier<OptionalLong> lookup, Duration maxAge, LongSupplier nanoTime) {
        this.lookup = lookup;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The desk account's uid, if there is one (as of at most {@code maxAge} ago). */
    public OptionalLong supportUid() {
        long now = nanoTime.getAsLong();
        Lookup known = last;
        if (known == null || now - known.at >= maxAgeNanos) {
            known = new Lookup(lookup.get(), now);
            last = known;
        }
        return known.supportUid;
    }

    public boolean isDesk(long uid) {
        OptionalLong support = supportUid();
        return support.isPresent() && support.getAsLong() == uid;
    }

    /** Agents and the desk account itself. */
    public boolean isStaff(Caller caller) {
        return caller.is(Role.AGENT) || caller.is(Role.SUPPORT);
    }

    /** Who the desk serves and answers: buyers and sellers, never staff or admins. */
    public static boolean isCustomer(Role role) {
        return role == Role.BUYER || role == Role.SELLER;
    }

    /** The uid whose desk traffic {@code caller} sees, or -1 (no uid) when the caller is not staff. */
    public long deskUidFor(Caller caller) {
        if (!isStaff(caller)) {
            return -1;
        }
        OptionalLong support = supportUid();
        return support.isPresent() ? support.getAsLong() : -1;
    }
}
