package io.pushgate.server.ws;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;

/**
 * Verifies the optional connect token: an HS256 JWT whose {@code sub} is the uid to bind and whose {@code exp} is
 * in the future. Anything else (another algorithm, a bad signature, no expiry, no subject) is refused.
 */
public final class ConnectTokenVerifier {
    private final MACVerifier verifier;
    private final Clock clock;

    public ConnectTokenVerifier(String secret, Clock clock) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("PUSH_CONNECT_SECRET is not usable for HS256: " + e.getMessage(), e);
        }
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
            if (!exp.toInstant().isAfter(clock.instant())) {
                throw new InvalidTokenException("connect token has expired");
            }
            String sub = claims.getSubject();
            if (sub == null || sub.isEmpty()) {
                throw new InvalidTokenException("connect token has no sub (the uid)");
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
