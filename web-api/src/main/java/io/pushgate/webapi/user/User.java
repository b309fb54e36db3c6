package io.pushgate.webapi.user;

/** A user's public profile, as every endpoint returns it. */
public record User(long uid, String username, String nickname, String headimgurl, Role role) {
}
