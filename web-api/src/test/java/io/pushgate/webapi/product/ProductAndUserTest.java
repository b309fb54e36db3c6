package io.pushgate.webapi.product;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.User;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ProductAndUserTest extends StackTest {

    @Test
    void aProductCardNamesItsSeller() {
        Reply card = stack.login("alice").get("/api/products/1");
        assertEquals(200, card.status());
        assertEquals(1, card.body().get("pid").asLong());
        assertEquals(stack.uidOf("shop"), card.body().get("seller_uid").asLong());
        assertEquals("好物小店", card.body().get("seller").get("nickname").asString());
        assertEquals(0, new BigDecimal("299.00").compareTo(card.body().get("price").decimalValue()));
        assertEquals(2, stack.login("bob").get("/api/products").body().get("products").size());
    }

    @Test
    void productErrors() {
        User alice = stack.login("alice");
        assertEquals(404, alice.get("/api/products/999").status());
        assertEquals(400, alice.get("/api/products/abc").status());
        assertEquals(401, stack.anonymous().get("/api/products/1").status());
    }

    @Test
    void profilesOneAndMany() {
        User alice = stack.login("alice");
        long bob = stack.uidOf("bob");
        long shop = stack.uidOf("shop");
        Reply one = alice.get("/api/users/" + bob);
        assertEquals(200, one.status());
        assertEquals("bob", one.body().get("username").asString());
        assertEquals("buyer", one.body().get("role").asString());
        Reply many = alice.get("/api/users?ids=" + shop + "," + bob);
        assertEquals(2, many.body().get("users").size());
        assertEquals(404, alice.get("/api/users/987654321").status());
        assertEquals(400, alice.get("/api/users?ids=1,x").status());
        assertEquals(400, alice.get("/api/users").status());
        assertEquals(401, stack.anonymous().get("/api/users/" + bob).status());
    }
}
