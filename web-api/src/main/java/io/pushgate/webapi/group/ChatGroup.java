package io.pushgate.webapi.group;

/** A group room, with its member count and whether the caller is a member. */
public record ChatGroup(long groupId, String name, int memberCount, boolean member) {
}
