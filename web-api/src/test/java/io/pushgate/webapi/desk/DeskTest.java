package io.pushgate.webapi.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.webapi.StackTest;
import io.pushgate.webapi.TestStack.Reply;
import io.pushgate.webapi.TestStack.Socket;
import io.pushgate.webapi.TestStack.User;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DeskTest extends StackTest {
    static long support;

    @BeforeAll
    static void findTheDesk() {
        support = stack.uidOf("support");
    }

    @Test
    void aCustomersMessageReachesEveryAgentAndAnAnswerComesFromTheDesk() {
        User customer = stack.newUser("buyer");
        User agent1 = stack.login("agent1");
        User agent2 = stack.login("agent2");
        try (Socket c = customer.connectAndBind(); Socket a1 = agent1.connectAndBind();
             Socket a2 = agent2.connectAndBind()) {
            Reply asked = customer.send(Map.of("to_uid", support, "type", "text", "content", "我的订单在哪？"));
            assertEquals(201, asked.status(), asked.toString());
            assertTrue(asked.body().get("recipient_online").asBoolean(), "agents are online");
            JsonNode question = asked.body().get("message");
            assertEquals(question, a1.nextMessage());
            assertEquals(question, a2.nextMessage());
            assertEquals(question, c.nextMessage());

            Reply answered = agent1.send(Map.of("to_uid", customer.uid, "type", "text", "content", "已发货",
                    "from_desk", true));
            assertEquals(201, answered.status(), answered.toString());
            JsonNode answer = answered.body().get("message");
            assertEquals(support, answer.get("from_uid").asLong(), "the customer sees the desk, not the agent");
            assertEquals(customer.uid, answer.get("to_uid").asLong());
            assertTrue(answered.body().get("recipient_online").asBoolean());
            assertEquals(answer, c.nextMessage());
            assertEquals(answer, a2.nextMessage(), "the other agents see the answer too");
            assertEquals(answer, a1.nextMessage());

            // the customer sees one conversation with the desk
            Reply history = customer.get("/api/messages?peer=" + support);
            assertEquals(2, history.body().get("messages").size());
            // agents read it as the desk conversation with that customer
            Reply deskHistory = agent2.get("/api/messages?peer=" + customer.uid + "&desk=true");
            assertEquals(2, deskHistory.body().get("messages").size());
        }
    }

    @Test
    void onlyAgentsAnswerAsTheDesk() {
        User buyer = stack.newUser("buyer");
        User other = stack.newUser("buyer");
        Reply refused = buyer.send(Map.of("to_uid", other.uid, "type", "text", "content", "hi", "from_desk", true));
        assertEquals(403, refused.status());
        assertEquals("forbidden", refused.errorCode());
        User seller = stack.login("shop");
        assertEquals(403, seller.send(Map.of("to_uid", other.uid, "type", "text", "content", "hi",
                "from_desk", true)).status());
        assertEquals(403, buyer.get("/api/messages?peer=" + other.uid + "&desk=true").status());
    }

    @Test
    void agentsSyncAndListDeskConversationsWithUnreadCounts() {
        User customer = stack.newUser("buyer");
        User agent = stack.newUser("agent");
        long id = customer.send(Map.of("to_uid", support, "type", "text", "content", "help"))
                .body().get("message").get("id").asLong();

        Reply sync = agent.get("/api/sync?after=" + (id - 1));
        assertEquals(id, sync.body().get("messages").get(0).get("id").asLong());

        JsonNode entry = deskEntry(agent, customer.uid);
        assertTrue(entry.get("desk").asBoolean());
        assertEquals(1, entry.get("unread").asInt());

        assertEquals(204, agent.post("/api/messages/read",
                Map.of("peer", customer.uid, "up_to_id", id, "desk", true)).status());
        assertEquals(0, deskEntry(agent, customer.uid).get("unread").asInt());

        // a buyer does not see other customers' desk traffic
        User bystander = stack.newUser("buyer");
        Reply theirs = bystander.get("/api/sync?after=" + (id - 1));
        theirs.body().get("messages").forEach(m -> assertFalse(m.get("id").asLong() == id));
    }

    @Test
    void aCustomerReadingTheDesksAnswerNotifiesTheAgents() {
        User customer = stack.newUser("buyer");
        User agent = stack.newUser("agent");
        long answer = agent.send(Map.of("to_uid", customer.uid, "type", "text", "content", "hello",
                "from_desk", true)).body().get("message").get("id").asLong();
        try (Socket a = agent.connectAndBind()) {
            assertEquals(204, customer.post("/api/messages/read", Map.of("peer", support, "up_to_id", answer))
                    .status());
            JsonNode receipt = a.next(f -> "read".equals(f.path("type").asString()));
            assertEquals(customer.uid, receipt.get("peer").asLong());
            assertEquals(answer, receipt.get("up_to_id").asLong());
        }
    }

    static JsonNode deskEntry(User agent, long customer) {
        for (JsonNode e : agent.get("/api/conversations").body().get("conversations")) {
            if (e.get("desk").asBoolean() && e.get("peer").get("uid").asLong() == customer) {
                return e;
            }
        }
        throw new AssertionError("no desk conversation with " + customer);
    }

    @Test
    void theDeskAnswersCustomersOnlyNeverStaffOrAdmins() {
        User agent = stack.login("agent1");
        for (String staff : new String[] {"agent2", "admin"}) {
            Reply refused = agent.send(Map.of("to_uid", stack.uidOf(staff), "type", "text", "content", "as the desk",
                    "from_desk", true));
            assertEquals(403, refused.status(), staff + ": " + refused);
            assertEquals("forbidden", refused.errorCode());
            assertTrue(refused.body().get("error").get("message").asString().contains("customers"), refused.toString());
        }
        assertEquals(400, agent.send(Map.of("to_uid", support, "type", "text", "content", "x", "from_desk", true))
                .status(), "the desk does not answer itself");
        assertEquals(404, agent.send(Map.of("to_uid", 987654321L, "type", "text", "content", "x", "from_desk", true))
                .status());
        Reply toSeller = agent.send(Map.of("to_uid", stack.uidOf("shop"), "type", "text", "content", "hello shop",
                "from_desk", true));
        assertEquals(201, toSeller.status(), "sellers are customers too: " + toSeller);
        assertEquals(201, agent.send(Map.of("to_uid", stack.uidOf("agent2"), "type", "text", "content", "as myself"))
                .status(), "an agent writes to staff as themselves");
    }
}
