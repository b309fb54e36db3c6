package io.pushgate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server started as its own JVM the way it is deployed, {@code java [options] -jar server.jar} with its settings in
 * the environment (only those given, plus {@code PATH}, {@code HOME}, the locale and the time zone), its output in a
 * log file, and known to be up once that log shows its ready line. {@link #close()}
 * stops it with SIGTERM (its shutdown hook closes connections), then kills it if it has not exited within 10 s.
 */
final class ServerProcess implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");

    private final String name;
    private final Process process;
    private final Path log;
    private final Matcher ready;

    private ServerProcess(String name, Process process, Path log, Matcher ready) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.ready = ready;
    }

    /**
     * Starts {@code jar} with {@code jvmOptions} and {@code env} (added to this process's environment), writing its
     * output to {@code log}, and waits until a line of it matches {@code readyLine}. Throws, with the log's end, if
     * the process exits first or {@code timeout} passes; the process is then stopped.
     */
    static ServerProcess start(String name, Path jar, List<String> jvmOptions, Map<String, String> env, Path log,
                               Pattern readyLine, Duration timeout) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(name + ": no " + jar + " (build with mvn -B -q -pl bench -am "
                    + "-DskipTests package, or give its path)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().keySet().retainAll(INHERITED); // no stray PUSH_…/DB_… setting of this shell
        builder.environment().putAll(env);
        Process process = builder.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = readyLine.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new ServerProcess(name, process, log, m);
            }
            String failure = !process.isAlive() ? " exited with " + process.exitValue()
                    : System.nanoTime() > deadline ? " was not ready within " + timeout.toSeconds() + " s" : null;
            if (failure != null) {
                stop(process);
                throw new IllegalStateException(name + failure + "; the end of " + log + ":\n" + tail(log));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Group {@code group} of the ready line, e.g. the address the server announced. */
    String ready(int group) {
        return ready.group(group);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** True while the process runs. */
    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
