package io.pushgate.webapi.browser;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One user's tab in {@link Chromium}. Every call first switches the shared driver to this tab, so a test can
 * alternate between users freely. Waits have a deadline ({@link #WAIT}) and poll; nothing sleeps.
 */
final class Tab {
    static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriver driver;
    private final String name;
    private final String handle;
    private final String userContext;

    Tab(ChromeDriver driver, String name, String handle, String userContext) {
        this.driver = driver;
        this.name = name;
        this.handle = handle;
        this.userContext = userContext;
    }

    String name() {
        return name;
    }

    String handle() {
        return handle;
    }

    String userContext() {
        return userContext;
    }

    /** The driver, pointed at this tab. */
    WebDriver driver() {
        if (!handle.equals(driver.getWindowHandle())) {
            driver.switchTo().window(handle);
        }
        return driver;
    }

    Tab open(URI url) {
        driver().get(url.toString());
        return this;
    }

    /** Logs in through the login page and waits until it has moved on. */
    Tab login(URI base, String username, String password) {
        open(base.resolve("/login.html"));
        type(By.id("username"), username);
        type(By.id("password"), password);
        click(By.id("login-button"));
        until(d -> !d.getCurrentUrl().contains("/login.html"));
        return this;
    }

    /** Waits until the page's push channel is bound and caught up. */
    Tab awaitOnline() {
        awaitAttribute(By.id("conn"), "data-status", "online", WAIT);
        return this;
    }

    WebElement await(By by) {
        return wait(WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits for an element whose text is exactly {@code text}. */
    WebElement awaitText(By by, String text) {
        return until(d -> d.findElements(by).stream()
                .filter(e -> text.equals(e.getText().strip())).findFirst().orElse(null));
    }

    void awaitAttribute(By by, String attribute, String value, Duration deadline) {
        wait(deadline).until(d -> d.findElements(by).stream()
                .anyMatch(e -> value.equals(e.getDomAttribute(attribute))));
    }

    void awaitGone(By by) {
        until(d -> d.findElements(by).stream().noneMatch(WebElement::isDisplayed));
    }

    List<WebElement> all(By by) {
        return driver().findElements(by);
    }

    /** Clicks an element once it is clickable; one re-rendered just before the click is looked up again. */
    void click(By by) {
        until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (element == null) {
                return false;
            }
            element.click(); // a StaleElementReferenceException here means no click happened: the wait retries
            return true;
        });
    }

    void type(By by, String text) {
        WebElement field = await(by);
        field.clear();
        field.sendKeys(text);
    }

    /** Types a message in the open conversation and sends it. */
    void send(String text) {
        type(By.id("message-input"), text);
        click(By.id("send"));
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(js, args);
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait(WAIT).until(condition);
    }

    private WebDriverWait wait(Duration deadline) {
        WebDriverWait wait = new WebDriverWait(driver(), deadline, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class); // live pages re-render; the next poll looks again
        wait.withMessage(() -> "in " + name + "'s tab at " + driver.getCurrentUrl());
        return wait;
    }
}
