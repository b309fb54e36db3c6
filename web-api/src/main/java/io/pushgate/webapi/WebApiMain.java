package io.pushgate.webapi;

import io.pushgate.config.ConfigException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar web-api.jar}: reads the environment, starts, and stops cleanly on SIGTERM. */
public final class WebApiMain {
    private static final Logger log = LoggerFactory.getLogger(WebApiMain.class);

    private WebApiMain() {
    }

    public static void main(String[] args) {
        WebApiConfig config;
        try {
            config = WebApiConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                System.err.println("web-api: " + problem);
            }
            System.err.println("web-api: not started; see README.md, 'web-api configuration'");
            System.exit(2);
            return;
        }
        WebApi api;
        try {
            api = WebApi.start(config);
        } catch (RuntimeException | Error e) { // exit even if non-daemon threads (the database's) were started
            log.error("web-api failed to start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            stopped.countDown();
        }, "web-api-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
