package io.pushgate.webapi.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.bidi.browsingcontext.BrowsingContext;
import org.openqa.selenium.bidi.browsingcontext.CreateContextParameters;
import org.openqa.selenium.bidi.module.Browser;
import org.openqa.selenium.bidi.module.Script;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * One headless Debian Chromium driven through its own chromedriver, in which every user gets a tab in a browser
 * context of its own (WebDriver BiDi user contexts): separate cookies, so separate sessions, in one browser.
 *
 * <p>The paths default to Debian's packages {@code chromium} and {@code chromium-driver}; CHROMIUM_BINARY and
 * CHROMEDRIVER override them. Nothing is downloaded: the driver path is given, so Selenium Manager never runs.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of(System.getenv().getOrDefault("CHROMIUM_BINARY", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));

    /**
     * Selenium looks for a CDP binding matching the browser's version and warns when there is none; none is needed
     * with BiDi. Held here because java.util.logging keeps only weak references to loggers and their levels.
     */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("org.openqa.selenium.devtools"),
            Logger.getLogger("org.openqa.selenium.remote"));

    private final ChromeDriver driver;
    private final Browser browser;
    private final Path userDataDir;
    private final String firstWindow;
    private final List<Tab> tabs = new ArrayList<>();

    private Chromium(ChromeDriver driver, Path userDataDir) {
        this.driver = driver;
        this.browser = new Browser(driver);
        this.userDataDir = userDataDir;
        this.firstWindow = driver.getWindowHandle();
    }

    /** Why Chromium cannot run here, or null when it can. */
    static String missing() {
        if (!Files.isExecutable(BINARY)) {
            return "no Chromium at " + BINARY + " (apt-get install chromium chromium-driver)";
        }
        if (!Files.isExecutable(DRIVER)) {
            return "no chromedriver at " + DRIVER + " (apt-get install chromium-driver)";
        }
        return null;
    }

    static Chromium start() {
        System.setProperty("SE_OFFLINE", "true");
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
        Path profile;
        try {
            profile = Files.createTempDirectory("pushgate-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                "--user-data-dir=" + profile);
        options.enableBiDi();
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return new Chromium(driver, profile);
    }

    /**
     * Runs {@code functionDeclaration} (e.g. {@code "() => { … }"}) in every document this browser loads from now
     * on, before any of the page's own scripts (a WebDriver BiDi preload script).
     */
    void preload(String functionDeclaration) {
        new Script(driver).addPreloadScript(functionDeclaration);
    }

    /**
     * The errors the browser's console has shown since the last call, in any tab: script errors, failed loads
     * (a 401 or 404 answer, a resource that did not load), {@code console.error}.
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getMessage()).toList();
    }

    /** A new tab in a fresh browser context: nobody is logged in there. */
    Tab newTab(String name) {
        String userContext = browser.createUserContext();
        BrowsingContext context = new BrowsingContext(driver,
                new CreateContextParameters(WindowType.TAB).userContext(userContext));
        Tab tab = new Tab(driver, name, context.getId(), userContext);
        tabs.add(tab);
        return tab;
    }

    /** Closes a tab and its browser context (the user's session in this browser ends with it). */
    void closeTab(Tab tab) {
        if (tabs.remove(tab)) {
            try {
                browser.removeUserContext(tab.userContext());
            } finally {
                driver.switchTo().window(firstWindow);
            }
        }
    }

    /** Closes every tab opened since the last call. */
    void closeTabs() {
        for (Tab tab : List.copyOf(tabs)) {
            closeTab(tab);
        }
    }

    /**
     * Saves a PNG and the console log of every open tab under {@code dir} ({@code prefix-<tab>.png},
     * {@code prefix-<tab>.console.log}); returns the files.
     */
    List<Path> screenshots(Path dir, String prefix) {
        List<Path> saved = new ArrayList<>();
        for (Tab tab : tabs) {
            try {
                driver.switchTo().window(tab.handle());
                byte[] png = driver.getScreenshotAs(OutputType.BYTES);
                Files.createDirectories(dir);
                Path file = dir.resolve(prefix + "-" + tab.name() + ".png");
                Files.write(file, png);
                saved.add(file);
                List<String> console = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                        .map(e -> e.getLevel() + " " + e.getMessage()).toList();
                Path log = dir.resolve(prefix + "-" + tab.name() + ".console.log");
                Files.write(log, console);
                saved.add(log);
            } catch (RuntimeException | IOException e) {
                // a screenshot is a help for a failure already reported; never a second failure
            }
        }
        return saved;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(userDataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind
            }
        }
    }
}
