package io.pushgate.server.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.junit.jupiter.api.Test;

class ConnectTokenVerifierTest {
    static final String SECRET = "a-connect-secret-of-at-least-32-bytes!";
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final ConnectTokenVerifier VERIFIER =
            new ConnectTokenVerifier(SECRET, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenWithinTheRulesGrantsItsSub() throws Exception {
        assertEquals("alice", VERIFIER.verify(token(claims("alice", NOW.plusSeconds(60)).build())));
        assertEquals("u".repeat(256), VERIFIER.verify(token(claims("u".repeat(256), NOW.plusSeconds(3600))
                .notBeforeTime(Date.from(NOW)).build())));
    }

    @Test
    void clocksMayDisagreeByTheSkewAllowance() throws Exception {
        Instant skewed = NOW.plus(ConnectTokenVerifier.CLOCK_SKEW);
        assertEquals("alice", VERIFIER.verify(token(claims("alice", skewed.plusSeconds(3600))
                .notBeforeTime(Date.from(skewed)).build())), "an issuer clock ahead by the allowance");
    }

    @Test
    void nbfInTheFutureIsRefused() {
        assertRefused("connect token is not valid yet (nbf)", claims("alice", NOW.plusSeconds(600))
                .notBeforeTime(Date.from(NOW.plus(ConnectTokenVerifier.CLOCK_SKEW).plusSeconds(1))).build());
    }

    @Test
    void expIsRequiredAndAtMostTheMaximumAhead() {
        assertRefused("connect token has no exp", new JWTClaimsSet.Builder().subject("alice").build());
        assertRefused("connect token has expired", claims("alice", NOW).build());
        assertRefused("connect token exp is more than 3600 s ahead (PUSH_CONNECT_TOKEN_MAX_TTL_S)",
                claims("alice", NOW.plus(Duration.ofDays(36_500))).build());
    }

    @Test
    void subMustBeAnId() {
        assertRefused("connect token has no sub (the uid)", claims(null, NOW.plusSeconds(60)).build());
        assertRefused("connect token has no sub (the uid)", claims("", NOW.plusSeconds(60)).build());
        assertRefused("connect token sub (the uid) must be 1 to 256 characters",
                claims("u".repeat(257), NOW.plusSeconds(60)).build());
    }

    static void assertRefused(String message, JWTClaimsSet claims) {
        ConnectTokenVerifier.InvalidTokenException e = assertThrows(ConnectTokenVerifier.InvalidTokenException.class,
                () -> VERIFIER.verify(token(claims)));
        assertEquals(message, e.getMessage());
    }

    static JWTClaimsSet.Builder claims(String sub, Instant exp) {
        return new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(exp));
    }

    static String token(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
