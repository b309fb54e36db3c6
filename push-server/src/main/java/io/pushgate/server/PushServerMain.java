package io.pushgate.server;

import io.pushgate.config.ConfigException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar push-server.jar}: reads the environment, starts, and stops cleanly on SIGTERM. */
public final class PushServerMain {
    private static final Logger log = LoggerFactory.getLogger(PushServerMain.class);

    private PushServerMain() {
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // Grizzly and Tyrus log through java.util.logging
        SLF4JBridgeHandler.install();
        ServerConfig config;
        try {
            config = ServerConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                System.err.println("push-server: " + problem);
            }
            System.err.println("push-server: not started; see README.md, 'Configuration'");
            System.exit(2);
            return;
        }
        PushServer server;
        try {
            server = PushServer.start(config);
        } catch (RuntimeException e) {
            log.error("push-server failed to start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "pushgate-shutdown"));
        try {
            stopped.await(); // Grizzly's threads are daemons: keep the JVM up until SIGTERM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
