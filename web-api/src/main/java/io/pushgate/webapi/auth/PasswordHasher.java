package io.pushgate.webapi.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt password hashes (at.favre bcrypt, cost {@value #COST}). */
public final class PasswordHasher {
    static final int COST = 10;
    /** Compared against when the username is unknown, so a miss costs as much time as a wrong password. */
    private static final byte[] DECOY = BCrypt.withDefaults().hash(COST, "decoy".toCharArray());

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of one verification without a hash to verify against. */
    public void waste(String password) {
        BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), DECOY);
    }
}
