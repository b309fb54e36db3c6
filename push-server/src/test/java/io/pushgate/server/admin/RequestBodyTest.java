package io.pushgate.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class RequestBodyTest {
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build(); // as PushServer builds it

    static RequestBody body(String json) {
        return new RequestBody((ObjectNode) JSON.readTree(json), JSON);
    }

    @Test
    void plainLengthIsTheLengthOfThePlainString() {
        for (String n : new String[] {"0", "7", "-7", "1.5", "-1.5", "0.001", "-0.001", "1e3", "-1e3", "1.25e1",
            "123.456", "1e-5", "12345e-2", "9".repeat(80) + "e-40"}) {
            BigDecimal decimal = new BigDecimal(n).stripTrailingZeros();
            assertEquals(decimal.toPlainString().length(), RequestBody.plainLength(decimal), n);
        }
    }

    @Test
    void aNumberIdIsItsDecimalStringAndRefusedUnexpandedWhenTooLong() {
        assertEquals("1500", body("{\"uid\":1.5e3}").string("uid"));
        assertEquals("0.25", body("{\"uid\":2.50e-1}").string("uid"));
        assertEquals("42", body("{\"uid\":42}").string("uid"));
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            for (String n : new String[] {"1e999999999", "1e100000000", "-1e-999999999", "1e257", "1e-255",
                "1".repeat(257)}) {
                AdminException e = assertThrows(AdminException.class, () -> body("{\"uid\":" + n + "}").string("uid"));
                assertEquals(400, e.status(), n);
            }
        });
        assertEquals(256, body("{\"uid\":1e255}").string("uid").length());
    }
}
