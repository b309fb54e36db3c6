package io.pushgate.webapi.desk;

import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.http.ApiException;
import io.pushgate.webapi.user.Role;
import io.pushgate.webapi.user.User;
import io.pushgate.webapi.user.UserDao;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The customer-service desk's rules, all of them: one account with the {@code support} role that customers write
 * to, answered by any agent.
 *
 * <ul>
 *   <li><b>Who writes to the desk:</b> anyone, by name ({@code to_uid} of the desk account).</li>
 *   <li><b>Who answers as the desk:</b> staff (agents and the desk account itself), to customers (buyers and
 *       sellers) only, never to staff or admins, who are written to by name ({@link #answerAs}). The answer is
 *       stored and shown as coming from the desk account.</li>
 *   <li><b>Who sees what:</b> staff see the whole desk traffic in /api/sync and /api/conversations
 *       ({@link #deskUidFor}) and read a customer's desk conversation ({@link #readAs}); customers see their own
 *       conversation with the desk, like any other.</li>
 *   <li><b>Routing:</b> staff connections join the desk's push group at bind ({@link #pushGroupOf}); a message or read
 *       receipt to the desk account, and an answer from it, goes to that group, so every online agent sees it
 *       ({@link #isDesk}).</li>
 * </ul>
 *
 * <p>Without a support account the desk is closed: answers and desk reads are refused (404) and messages go to
 * nobody special.
 *
 * <p>The desk account is looked up in the database again once the last lookup is older than {@code maxAge}
 * ({@link #MAX_AGE} in the app), so a {@code support} account created (or demoted) while web-api runs is seen by
 * every instance within that time, without a restart. That costs one indexed query per instance per
 * {@code maxAge}, nothing per request; the callers' own roles come with their session ({@code auth.Sessions}).
 */
public final class DeskService {
    /** The push-server group every staff connection joins: pushes to the desk, and its answers, go to it. */
    public static final String PUSH_GROUP = "desk";

    /** How old the desk account's lookup may be: what a change to it waits at most. */
    public static final Duration MAX_AGE = Duration.ofSeconds(2);

    private final UserDao users;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Lookup last;

    private record Lookup(OptionalLong supportUid, long at) {
    }

    /**
     * @param users     finds the support account (ix_users_role) and the role of whom an answer goes to
     * @param maxAge    how long one lookup of the support account is used
     * @param nanoTime  the clock ({@code System::nanoTime})
     */
    public DeskService(UserDao users, Duration maxAge, LongSupplier nanoTime) {
        this.users = users;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The desk account's uid, if there is one (as of at most {@code maxAge} ago). */
    public OptionalLong supportUid() {
        long now = nanoTime.getAsLong();
        Lookup known = last;
        if (known == null || now - known.at >= maxAgeNanos) {
            known = new Lookup(users.findByRole(Role.SUPPORT.value()).stream().mapToLong(User::uid).findFirst(), now);
            last = known;
        }
        return known.supportUid;
    }

    /**
     * Whether {@code uid} is the desk account: pushes to it, and answers shown from it, go to every agent (the
     * desk's push group), not to the account's own connections.
     */
    public boolean isDesk(long uid) {
        OptionalLong support = supportUid();
        return support.isPresent() && support.getAsLong() == uid;
    }

    /** Agents and the desk account itself: they answer as the desk, see its traffic and join its push group. */
    public boolean isStaff(Caller caller) {
        return caller.is(Role.AGENT) || caller.is(Role.SUPPORT);
    }

    /** The desk's push group if {@code caller}'s connections join it at bind (staff), else empty. */
    public Optional<String> pushGroupOf(Caller caller) {
        return isStaff(caller) ? Optional.of(PUSH_GROUP) : Optional.empty();
    }

    /** Who the desk serves and answers: buyers and sellers, never staff or admins. */
    static boolean isCustomer(Role role) {
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

    /**
     * An answer from the desk to {@code customer} ({@code from_desk}): returns the desk account's uid, the answer's
     * {@code from_uid}. 403 unless the caller is staff and the recipient a customer, 404 when there is no desk
     * account or no such user, 400 for the desk itself.
     */
    public long answerAs(Caller caller, long customer) {
        if (!isStaff(caller)) {
            throw ApiException.forbidden("only desk agents may answer as the desk");
        }
        long support = requireSupportUid();
        if (customer == support) {
            throw ApiException.badRequest("the desk cannot answer itself");
        }
        Role recipient = users.find(customer).orElseThrow(() -> ApiException.notFound("no user " + customer)).role();
        if (!isCustomer(recipient)) {
            throw ApiException.forbidden("the desk answers customers (buyers and sellers) only, not "
                    + recipient.value() + " accounts; write to them as yourself");
        }
        return support;
    }

    /**
     * Reading a customer's desk conversation ({@code desk=true}): returns the desk account's uid, the other side of
     * that conversation. 403 unless the caller is staff, 404 when there is no desk account.
     */
    public long readAs(Caller caller) {
        if (!isStaff(caller)) {
            throw ApiException.forbidden("only desk agents read desk conversations");
        }
        return requireSupportUid();
    }

    private long requireSupportUid() {
        return supportUid().orElseThrow(() -> ApiException.notFound("there is no desk account"));
    }
}
