package io.pushgate.webapi.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The pages in a real browser against the real servers: each user in a browser context of their own, all in one
 * headless Chromium. Every conversation here is between a pair of demo users no other test uses, so the tests do
 * not depend on each other's order.
 */
@ExtendWith(BrowserExtension.class)
class ChatPagesBrowserTest {
    private static ChatStack stack;

    @BeforeAll
    static void startStack() {
        if (Chromium.missing() == null) { // else every test is skipped, with the reason
            stack = ChatStack.start();
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Tab loggedIn(Chromium browser, String username) {
        return browser.newTab(username).login(stack.base(), username, "demo");
    }

    private static By conversationWith(long uid) {
        return By.cssSelector("#conversations li.conv[data-peer='" + uid + "']");
    }

    private static By messageText(String text) {
        return By.xpath("//ol[@id='messages']//span[contains(@class,'msg-text')][normalize-space(.)="
                + xpathLiteral(text) + "]");
    }

    /** A 4x4 PNG in a temporary file, to upload. */
    private static Path smallPng() {
        try {
            BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
            image.setRGB(1, 1, 0x1f7a5a);
            Path file = Files.createTempFile("pushgate-", ".png");
            file.toFile().deleteOnExit();
            ImageIO.write(image, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String xpathLiteral(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    @Test
    void buyerContactsTheSellerAndTheyChatBothWaysLive(Chromium browser) {
        long alice = stack.uidOf("alice");
        Tab shop = loggedIn(browser, "shop");
        shop.open(stack.page("/chat.html")).awaitOnline();
        Tab buyer = loggedIn(browser, "alice");

        buyer.open(stack.page("/product.html?id=1"));
        buyer.click(By.id("contact-seller"));
        buyer.awaitOnline();
        buyer.click(By.id("send-product"));
        buyer.await(By.cssSelector("#messages li.msg.mine[data-type='product'] .product-title"));

        // The seller sees the new conversation come in, with the card, without reloading.
        shop.until(d -> d.findElement(conversationWith(alice)).findElement(By.className("conv-last")).getText()
                .equals("[product]"));
        shop.click(conversationWith(alice));
        WebElement card = shop.await(By.cssSelector("#messages li.msg.theirs[data-type='product'] a.product-card"));
        shop.until(d -> card.getText().contains("keyboard"));
        assertTrue(card.getDomAttribute("href").endsWith("/product.html?id=1"));

        shop.send("Yes, it is in stock 有货");
        buyer.await(messageText("Yes, it is in stock 有货"));
        buyer.all(By.id("image-input")).get(0).sendKeys(smallPng().toString());
        WebElement picture = shop.await(By.cssSelector("#messages li.msg.theirs[data-type='image'] .msg-image img"));
        assertTrue(picture.getDomAttribute("src").startsWith("/uploads/"), picture.getDomAttribute("src"));
        shop.until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return arguments[0].complete && arguments[0].naturalWidth === 4;", picture));
        buyer.send("Great, I'll take it");
        shop.await(messageText("Great, I'll take it"));

        // The seller has the conversation open, so the buyer's side shows it read.
        buyer.until(d -> {
            List<WebElement> receipts = d.findElements(By.cssSelector("#messages li.msg.mine .receipt"));
            return !receipts.isEmpty() && receipts.get(receipts.size() - 1).getText().equals("Read");
        });
    }

    @Test
    void scrollingToTheTopLoadsOlderMessages(Chromium browser) {
        long agent1 = stack.uidOf("agent1");
        long admin = stack.uidOf("admin");
        stack.sendTexts("admin", agent1, IntStream.rangeClosed(1, 45).mapToObj(i -> "note " + i).toList());
        Tab reader = loggedIn(browser, "agent1");
        reader.open(stack.page("/chat.html?peer=" + admin)).awaitOnline();
        reader.await(messageText("note 45"));
        int firstPage = reader.all(By.cssSelector("#messages li.msg")).size();
        assertTrue(firstPage < 45, "the first page is only the newest messages: " + firstPage);

        reader.script("document.getElementById('messages').scrollTop = 0;");
        reader.await(messageText("note 1"));
        List<String> texts = reader.all(By.cssSelector("#messages .msg-text")).stream().map(WebElement::getText).toList();
        assertEquals(IntStream.rangeClosed(1, 45).mapToObj(i -> "note " + i).toList(), texts,
                "older pages go above, in order, without gaps or repeats");
    }

    @Test
    void unreadBadgeAppearsAndClearsOnRead(Chromium browser) {
        long alice = stack.uidOf("alice");
        long bob = stack.uidOf("bob");
        Tab reader = loggedIn(browser, "alice");
        reader.open(stack.page("/chat.html")).awaitOnline();
        Tab writer = loggedIn(browser, "bob");
        writer.open(stack.page("/chat.html?peer=" + alice)).awaitOnline();

        writer.send("Are you there?");
        writer.send("Hello?");
        By badge = By.cssSelector("#conversations li.conv[data-peer='" + bob + "'] .badge");
        reader.until(d -> d.findElements(badge).stream().anyMatch(b -> b.isDisplayed() && b.getText().equals("2")));

        reader.click(conversationWith(bob));
        reader.await(messageText("Hello?"));
        reader.awaitGone(badge);

        // Read on the server too: a fresh load shows no unread messages.
        reader.open(stack.page("/chat.html")).awaitOnline();
        reader.until(d -> "0".equals(d.findElement(conversationWith(bob)).getDomAttribute("data-unread"))
                && d.findElements(badge).stream().noneMatch(WebElement::isDisplayed));
    }

    @Test
    void markupInAMessageIsShownAsTextAndNeverRun(Chromium browser) {
        String payload = "<img src=x onerror=alert(1)>";
        long bob = stack.uidOf("bob");
        long shopUid = stack.uidOf("shop");
        Tab target = loggedIn(browser, "shop");
        target.open(stack.page("/chat.html?peer=" + bob)).awaitOnline();
        target.script("window.__alerts = []; window.alert = (m) => window.__alerts.push(String(m));");
        Tab sender = loggedIn(browser, "bob");
        sender.open(stack.page("/chat.html?peer=" + shopUid)).awaitOnline();

        sender.send(payload);
        sender.await(messageText(payload));
        target.await(messageText(payload));

        assertEquals(0L, target.script("return document.querySelectorAll('img[src=\"x\"]').length;"));
        assertEquals(0L, sender.script("return document.querySelectorAll('img[src=\"x\"]').length;"));
        target.until(d -> d.findElement(conversationWith(bob)).findElement(By.className("conv-last")).getText()
                .equals(payload));
        // Had the markup been parsed, the broken image's onerror would have fired by the next frames.
        Object alerts = ((JavascriptExecutor) target.driver()).executeAsyncScript(
                "const done = arguments[0];"
                        + "requestAnimationFrame(() => setTimeout(() => done(window.__alerts.length), 100));");
        assertEquals(0L, alerts);
    }

    @Test
    void pageReconnectsByItselfAndShowsWhatWasSentWhileThePushServerWasDown(Chromium browser) {
        long bob = stack.uidOf("bob");
        long agent2 = stack.uidOf("agent2");
        Tab reader = loggedIn(browser, "bob");
        reader.open(stack.page("/chat.html?peer=" + agent2)).awaitOnline();
        reader.script("window.__samePage = true;");
        Tab writer = loggedIn(browser, "agent2");
        writer.open(stack.page("/chat.html?peer=" + bob)).awaitOnline();
        writer.send("before the restart");
        reader.await(messageText("before the restart"));

        stack.stopPushServer();
        reader.until(d -> !"online".equals(d.findElement(By.id("conn")).getDomAttribute("data-status")));
        writer.send("sent while the push-server was down");
        writer.await(messageText("sent while the push-server was down")); // stored, though nobody got a push
        stack.startPushServer();

        // Reconnect with backoff, bind again, sync after the last id seen.
        reader.awaitAttribute(By.id("conn"), "data-status", "online", Duration.ofSeconds(40));
        reader.await(messageText("sent while the push-server was down"));
        assertEquals(Boolean.TRUE, reader.script("return window.__samePage === true;"), "the page was not reloaded");
        assertEquals(1, reader.all(messageText("sent while the push-server was down")).size());

        // Live again, both ways.
        writer.awaitAttribute(By.id("conn"), "data-status", "online", Duration.ofSeconds(40));
        writer.send("after the restart");
        reader.await(messageText("after the restart"));
        reader.send("got them all");
        writer.await(messageText("got them all"));
    }

    @Test
    void channelSendsTextPingsAndKeepsTheConnectionWhilePongsComeBack(Chromium browser) {
        Tab tab = loggedIn(browser, "agent2");
        tab.open(stack.page("/product.html")); // a page without a channel of its own
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) tab.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const sent = [];
                const Real = window.WebSocket;
                window.WebSocket = class extends Real {
                  send(data) { sent.push(String(data)); super.send(data); }
                };
                import('/js/pushgate.js').then(({ PushChannel }) => {
                  const channel = new PushChannel({ after: 0, pingMs: 300 });
                  const statuses = [];
                  channel.addEventListener('status', (e) => statuses.push(e.detail));
                  channel.start();
                  const poll = setInterval(() => {
                    const pings = sent.filter((s) => JSON.parse(s).type === 'ping').length;
                    if (pings >= 4) {
                      clearInterval(poll);
                      channel.stop();
                      done({ pings, statuses });
                    }
                  }, 50);
                });
                """);
        assertTrue(((Number) result.get("pings")).intValue() >= 4, result.toString());
        // A ping left unanswered closes the socket at the next tick, which would show as offline and back.
        assertEquals(List.of("connecting", "online"), result.get("statuses"));
    }

    /** Creates a room on the group page, which then opens it. */
    private static Tab roomCreatedBy(Tab creator, String name, boolean privateRoom) {
        creator.open(stack.page("/group.html")).awaitOnline();
        creator.type(By.id("new-group-name"), name);
        if (privateRoom) {
            creator.click(By.id("new-group-private"));
        }
        creator.click(By.cssSelector("#new-group button[type='submit']"));
        creator.awaitText(By.cssSelector("#pane .pane-name"), name);
        return creator;
    }

    @Test
    void groupRoomIsCreatedJoinedAndChattedInLive(Chromium browser) {
        By joinButton = By.xpath("//li[.//span[@class='conv-name'][.='Keyboards 键盘']]//button[@data-action='join']");
        By leaveButton = By.xpath("//li[.//span[@class='conv-name'][.='Keyboards 键盘']]//button[@data-action='leave']");
        Tab creator = roomCreatedBy(loggedIn(browser, "alice"), "Keyboards 键盘", false);

        Tab joiner = loggedIn(browser, "bob");
        joiner.open(stack.page("/group.html")).awaitOnline();
        joiner.click(joinButton);
        joiner.awaitText(By.cssSelector("#pane .pane-name"), "Keyboards 键盘");
        joiner.send("hi all from bob");
        creator.await(messageText("hi all from bob"));
        creator.send("welcome, bob");
        joiner.await(messageText("welcome, bob"));

        joiner.click(leaveButton);
        joiner.await(joinButton);
        creator.send("bob has gone");
        creator.await(messageText("bob has gone"));
        joiner.open(stack.page("/chat.html")).awaitOnline();
        assertTrue(joiner.all(By.xpath("//li[contains(@class,'conv')][.//span[.='Keyboards 键盘']]")).isEmpty(),
                "a room left is no longer among the conversations");
    }

    @Test
    void aPrivateRoomIsSeenAndJoinedOnlyByInvite(Chromium browser) {
        By room = By.xpath("//li[.//span[@class='conv-name'][.='Secret 秘密']]");
        By joinButton = By.xpath("//li[.//span[@class='conv-name'][.='Secret 秘密']]//button[@data-action='join']");
        Tab creator = roomCreatedBy(loggedIn(browser, "shop"), "Secret 秘密", true);
        assertEquals("private", creator.await(room).getDomAttribute("data-visibility"));

        Tab guest = loggedIn(browser, "agent2");
        guest.open(stack.page("/group.html")).awaitOnline();
        guest.await(By.cssSelector("#groups li.conv")); // the public lobby is listed...
        assertTrue(guest.all(room).isEmpty(), "...a private room is not, before an invite");

        creator.type(By.id("invite-uid"), String.valueOf(stack.uidOf("agent2")));
        creator.click(By.id("invite"));
        creator.awaitText(By.className("toast"), "Invited user " + stack.uidOf("agent2"));

        guest.open(stack.page("/group.html")).awaitOnline();
        guest.click(joinButton);
        guest.awaitText(By.cssSelector("#pane .pane-name"), "Secret 秘密");
        guest.send("thanks for the invite");
        creator.await(messageText("thanks for the invite"));
    }

    @Test
    void deskAgentAnswersACustomerAndTheOtherAgentSeesTheAnswer(Chromium browser) {
        long alice = stack.uidOf("alice");
        long support = stack.uidOf("support");
        Tab agent1 = loggedIn(browser, "agent1");
        assertTrue(agent1.driver().getCurrentUrl().endsWith("/desk.html"), "agents start at the desk");
        agent1.awaitOnline();
        Tab agent2 = loggedIn(browser, "agent2");
        agent2.awaitOnline();
        Tab customer = loggedIn(browser, "alice");
        customer.open(stack.page("/chat.html")).awaitOnline();
        customer.click(conversationWith(support)); // the desk is offered to every customer

        customer.send("My order has not arrived");
        agent1.await(conversationWith(alice));
        agent1.click(conversationWith(alice));
        agent1.await(messageText("My order has not arrived"));
        agent1.send("Sorry! Let me check that for you");

        customer.await(messageText("Sorry! Let me check that for you"));
        WebElement answer = customer.all(messageText("Sorry! Let me check that for you")).get(0)
                .findElement(By.xpath("ancestor::li"));
        assertEquals(String.valueOf(support), answer.getDomAttribute("data-from"), "the answer comes from the desk");

        agent2.until(d -> d.findElement(conversationWith(alice)).findElement(By.className("conv-last")).getText()
                .equals("Sorry! Let me check that for you"));
        agent2.click(conversationWith(alice));
        agent2.await(messageText("My order has not arrived"));
        WebElement seen = agent2.await(messageText("Sorry! Let me check that for you"));
        assertTrue(seen.findElement(By.xpath("ancestor::li")).getDomAttribute("class").contains("mine"),
                "the other agent sees the answer on the desk's side");
    }

    @Test
    void adminDashboardListsWhoIsOnlineAndRefreshesByItself(Chromium browser) {
        long alice = stack.uidOf("alice");
        long bob = stack.uidOf("bob");
        Tab admin = loggedIn(browser, "admin");
        assertTrue(admin.driver().getCurrentUrl().endsWith("/admin.html"), "admins start at the dashboard");
        Tab first = loggedIn(browser, "alice");
        first.open(stack.page("/chat.html")).awaitOnline();
        Tab second = loggedIn(browser, "bob");
        second.open(stack.page("/chat.html")).awaitOnline();

        By aliceRow = By.cssSelector("#online-users tr[data-uid='" + alice + "']");
        By bobRow = By.cssSelector("#online-users tr[data-uid='" + bob + "']");
        // The table is redrawn every few seconds: read each row whole, within one poll.
        admin.until(d -> {
            WebElement row = d.findElement(aliceRow);
            return row.findElement(By.className("connections")).getText().equals("1")
                    && !row.findElement(By.className("nickname")).getText().isBlank();
        });
        admin.await(bobRow);
        admin.await(By.cssSelector("#stats dt"));

        browser.closeTab(second);
        admin.awaitGone(bobRow);
        admin.await(aliceRow);
    }
}
