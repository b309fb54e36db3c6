package io.pushgate.webapi.auth;

import io.pushgate.webapi.user.Role;

/** Who is calling, from the session: the only source of a uid in any handler. */
public record Caller(long uid, Role role) {

    public boolean is(Role r) {
        return role == r;
    }

    /** The uid as the push-server knows it. */
    public String pushUid() {
        return Long.toString(uid);
    }
}
