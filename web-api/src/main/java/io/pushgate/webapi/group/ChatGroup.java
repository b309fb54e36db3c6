package io.pushgate.webapi.group;

/**
 * A group room as one caller sees it: its visibility ({@code public} or {@code private}), who created it, its
 * member count, and whether the caller is a member or holds an invite.
 */
public record ChatGroup(long groupId, String name, String visibility, long createdBy, int memberCount,
                        boolean member, boolean invited) {
    public static final String PUBLIC = "public";
    public static final String PRIVATE = "private";
}
