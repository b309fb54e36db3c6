package io.pushgate.webapi.browser;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one {@link Chromium} (a {@code Chromium} parameter of a test or lifecycle method), skips each
 * test with the reason when Chromium or chromedriver is not installed, saves a screenshot of every open tab under
 * {@code target/browser-screenshots/} when a test fails, and closes the test's tabs after it.
 */
final class BrowserExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback,
        AfterTestExecutionCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BrowserExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        if (Chromium.missing() == null) {
            context.getStore(NS).put(Chromium.class, Chromium.start());
        }
    }

    /** Skips each test, so that every one shows as skipped with the reason (a class-level abort shows as none). */
    @Override
    public void beforeEach(ExtensionContext context) {
        String missing = Chromium.missing();
        Assumptions.assumeTrue(missing == null, () -> "browser test skipped: " + missing);
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty() || chromium(context) == null) {
            return;
        }
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "browser-screenshots",
                context.getRequiredTestClass().getSimpleName());
        List<Path> saved = chromium(context).screenshots(dir, context.getRequiredTestMethod().getName());
        saved.forEach(file -> System.err.println("screenshot of the failed test: " + file.toAbsolutePath()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Chromium chromium = chromium(context);
        if (chromium != null) {
            chromium.closeTabs();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Chromium chromium = context.getStore(NS).remove(Chromium.class, Chromium.class);
        if (chromium != null) {
            chromium.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Chromium.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return chromium(context);
    }

    private static Chromium chromium(ExtensionContext context) {
        return context.getStore(NS).get(Chromium.class, Chromium.class); // a method's store reads its class's
    }
}
