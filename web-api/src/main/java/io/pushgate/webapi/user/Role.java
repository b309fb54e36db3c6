package io.pushgate.webapi.user;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a user is in the marketplace; stored lower-case in {@code users.role}. */
public enum Role {
    BUYER, SELLER, AGENT, SUPPORT, ADMIN;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
