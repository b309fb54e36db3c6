package io.pushgate.webapi.desk;

import io.pushgate.webapi.auth.Caller;
import io.pushgate.webapi.user.Role;
import java.util.OptionalLong;

/**
 * The customer-service desk: one account with the {@code support} role that customers write to, answered by
 * any agent. A message to the desk reaches every online agent; an agent's answer is stored and shown as coming
 * from the desk account, and every agent sees it. Staff (agents and the desk account itself) see the whole
 * desk traffic in /api/sync and /api/conversations.
 *
 * <p>Only customers (buyers and sellers) get answers from the desk; staff and admins are written to by name.
 *
 * <p>Without a support account the desk is closed: {@code from_desk} is refused and messages to nobody special.
 */
public final class Desk {
    private final OptionalLong supportUid;

    public Desk(OptionalLong supportUid) {
        this.supportUid = supportUid;
    }

    /** The desk account's uid, if there is one. */
    public OptionalLong supportUid() {
        return supportUid;
    }

    public boolean isDesk(long uid) {
        return supportUid.isPresent() && supportUid.getAsLong() == uid;
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
        return isStaff(caller) && supportUid.isPresent() ? supportUid.getAsLong() : -1;
    }
}
