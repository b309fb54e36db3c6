package io.pushgate.webapi.group;

import io.pushgate.webapi.http.ApiException;

/**
 * The rule for reading and writing in a room: members only. To anyone else a private room they may not see does
 * not exist (404), and a room they see but have not joined refuses them (403). {@link GroupDao} only answers the
 * questions; this decides what the answers mean for a request.
 */
public final class Membership {
    private Membership() {
    }

    /**
     * Returns when {@code uid} is a member of room {@code groupId}; otherwise 404 {@code not_found} when the room
     * does not exist or {@code uid} may not see it (a private room), 403 {@code forbidden} when {@code uid} sees it
     * but has not joined it.
     */
    public static void require(GroupDao groups, long groupId, long uid) {
        if (groups.isMember(groupId, uid)) {
            return;
        }
        if (groups.find(groupId, uid).isEmpty()) {
            throw ApiException.notFound("no group " + groupId);
        }
        throw ApiException.forbidden("not a member of group " + groupId);
    }
}
