package io.pushgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code bin/push-server} as an operator does: it starts, passes {@code JAVA_OPTS} through after its
 * defaults, and stops on SIGTERM through the JVM's own shutdown. The bench module builds after push-server in the
 * reactor, so a {@code mvn verify} has packaged the jar by now; a {@code test}-only build has not, and the test is
 * skipped with that reason.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent(); // surefire runs in bench/
    private static final Path JAR = ROOT.resolve("push-server/target/push-server.jar");
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void binPushServerStartsPassesJavaOptsAndStopsOnSigterm() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(JAR), JAR + " is not built (run mvn verify, or package push-server)");
        ProcessBuilder builder = new ProcessBuilder("sh", "bin/push-server").directory(ROOT.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PUSH_WS_HOST", "127.0.0.1");
        builder.environment().put("PUSH_WS_PORT", "0");
        builder.environment().put("PUSH_ADMIN_PORT", "0");
        builder.environment().put("PUSH_ADMIN_SECRET", "launcher-test-" + System.nanoTime());
        builder.environment().remove("PUSH_REDIS_URI");
        builder.environment().put("JAVA_OPTS", "-Xmx48m -Dpushgate.launcher.test=yes");
        Path log = dir.resolve("push-server.log");
        process = builder.redirectOutput(log.toFile()).start();

        assertTrue(logShows(log, "push-server ready: ws "), "no ready line within 30 s: " + Files.readString(log));

        // exec: the launcher's process is the JVM itself, with the defaults first and JAVA_OPTS after them
        List<String> args = List.of(process.info().arguments().orElseThrow());
        assertTrue(process.info().command().orElseThrow().endsWith("java"), process.info().command().toString());
        assertTrue(args.contains("-Dpushgate.launcher.test=yes"), args.toString());
        int defaults = args.indexOf("-XX:+UseSerialGC");
        int fromEnv = args.indexOf("-Xmx48m");
        assertTrue(defaults >= 0 && fromEnv > defaults && args.indexOf("-jar") > fromEnv, args.toString());
        assertEquals(JAR.toString(), args.get(args.indexOf("-jar") + 1));

        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "still running 30 s after SIGTERM: "
                + Files.readString(log));
        assertTrue(Files.readString(log).contains("push-server stopped"), "the JVM's shutdown did not log: "
                + Files.readString(log));
        assertEquals(143, process.exitValue(), "exit status of a JVM stopped by SIGTERM");
    }

    /** Polls the log until it contains {@code text}, for at most {@link #WAIT_SECONDS}, or the process exits. */
    private boolean logShows(Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains(text)) {
                return true;
            }
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                return Files.readString(log).contains(text);
            }
        }
        return false;
    }

    @Test
    void aMissingJarIsNamedWithTheBuildCommand() throws Exception {
        Path home = dir.resolve("elsewhere");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(ROOT.resolve("bin/push-server"), home.resolve("bin/push-server"));
        Process missing = new ProcessBuilder("sh", home.resolve("bin/push-server").toString())
                .redirectErrorStream(true).start();
        assertTrue(missing.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        String out = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, missing.exitValue(), out);
        assertTrue(out.contains(home.toRealPath().resolve("push-server/target/push-server.jar").toString())
                && out.contains("mvn -B -ntp -DskipTests package -pl push-server -am"), out);
    }
}
