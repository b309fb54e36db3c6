package io.pushgate.server.ws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pushgate.server.presence.Presence;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies the optional connect token: an HS256 JWT whose {@code sub} is the uid to bind (1 to
 * {@value #MAX_UID_LENGTH} characters, like every id of the admin API), whose {@code exp} is in the future but at
 * most {@code maxTtl} ahead, and whose {@code nbf}, when present, has passed. {@code nbf} and the upper bound of
 * {@code exp} allow {@link #CLOCK_SKEW} for clocks that disagree. Anything else (another algorithm, a bad
 * signature, no expiry, no subject) is refused.
 */
public final class ConnectTokenVerifier {
    /** The longest uid a token may carry: the limit on every id. */
    public static final int MAX_UID_LENGTH = Presence.MAX_ID_LENGTH;

    /** How far the token issuer's clock may be ahead of this server's. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final MACVerifier verifier;
    private final Duration maxTtl;
    private final Clock clock;

    public ConnectTokenVerifier(String secret, Duration maxTtl, Clock clock) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("PUSH_CONNECT_SECRET is not usable for HS256: " + e.getMessage(), e);
        }
        this.maxTtl = maxTtl;
        this.clock = clock;
    }

    /** Returns the uid the token grants, or throws {@link InvalidTokenException} saying why it does not. */
    public String verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("a connect token is required (?token=...)");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
                throw new InvalidTokenException("connect token must be signed with HS256");
            }
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("connect token signature is invalid");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp == null) {
                throw new InvalidTokenException("connect token has no exp");
            }
            Instant now = clock.instant();
            if (!exp.toInstant().isAfter(now)) {
                throw new InvalidTokenException("connect token has expired");
            }
            if (exp.toInstant().isAfter(now.plus(maxTtl).plus(CLOCK_SKEW))) {
                throw new InvalidTokenException("connect token exp is more than " + maxTtl.toSeconds()
                        + " s ahead (PUSH_CONNECT_TOKEN_MAX_TTL_S)");
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
                throw new InvalidTokenException("connect token is not valid yet (nbf)");
            }
            String sub = claims.getSubject();
            if (sub == null || sub.isEmpty()) {
                throw new InvalidTokenException("connect token has no sub (the uid)");
            }
            if (sub.length() > MAX_UID_LENGTH) {
                throw new InvalidTokenException("connect token sub (the uid) must be 1 to " + MAX_UID_LENGTH
                        + " characters");
            }
            return sub;
        } catch (ParseException e) {
            throw new InvalidTokenException("connect token is not a JWT");
        } catch (JOSEException e) {
            throw new InvalidTokenException("connect token could not be verified");
        }
    }

    /** Why a connect token was refused. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
