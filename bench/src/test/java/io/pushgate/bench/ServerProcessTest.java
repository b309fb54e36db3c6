package io.pushgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerProcessTest {
    private static final Pattern READY = Pattern.compile("fake ready: (\\S+)");
    private static final Duration START = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static Path jar;

    /** A runnable jar of {@link FakeServer}, so that the child starts the way the real servers do. */
    @BeforeAll
    static void buildJar() throws IOException {
        jar = dir.resolve("fake.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeServer.class.getName());
        String entry = FakeServer.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             InputStream classFile = FakeServer.class.getClassLoader().getResourceAsStream(entry)) {
            jarOut.putNextEntry(new JarEntry(entry));
            classFile.transferTo(jarOut);
            jarOut.closeEntry();
        }
    }

    @Test
    void startReturnsOnceTheReadyLineIsLoggedAndCloseStopsTheProcess() throws IOException {
        Path log = dir.resolve("up.log");
        ServerProcess server = ServerProcess.start("fake", jar, List.of("-Xmx32m"),
                Map.of("FAKE_OUTPUT", "fake ready: http://127.0.0.1:1234 "), log, READY, START);
        try {
            assertEquals("http://127.0.0.1:1234", server.ready(1));
            assertTrue(server.alive());
            assertTrue(ProcStat.cpuNanos(server.pid()).isPresent(), "its CPU time is readable from /proc");
        } finally {
            server.close();
        }
        assertFalse(server.alive(), "stopped by close()");
    }

    @Test
    void aChildSeesOnlyTheSettingsItIsGivenAndTheBasics() throws IOException {
        Path log = dir.resolve("env.log");
        try (ServerProcess server = ServerProcess.start("fake", jar, List.of(), Map.of("FAKE_OUTPUT", "fake ready: x"),
                log, READY, START)) {
            assertEquals("x", server.ready(1)); // printed after the environment, so that line is in the log
        }
        String names = Files.readAllLines(log).stream().filter(l -> l.startsWith("environment: ")).findFirst()
                .orElseThrow().replaceAll("environment: \\[|\\]", "");
        Set<String> allowed = Set.of("FAKE_OUTPUT", "PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR");
        for (String name : names.split(", ")) {
            assertTrue(allowed.contains(name), name + " reached the child: " + names);
        }
        assertTrue(names.contains("FAKE_OUTPUT"), names);
    }

    @Test
    void aChildThatExitsBeforeItIsReadyFailsTheStartWithItsLog() {
        long begin = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerProcess.start("fake", jar,
                List.of(), Map.of("FAKE_OUTPUT", "cannot bind: port taken", "FAKE_EXIT", "1"),
                dir.resolve("exit.log"), READY, START));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("cannot bind: port taken"),
                e.getMessage());
        assertTrue(System.nanoTime() - begin < START.toNanos(), "failed as soon as the child exited");
    }

    @Test
    void aChildThatNeverLogsItsReadyLineFailsTheStartAfterTheTimeoutAndIsStopped() throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerProcess.start("fake", jar,
                List.of(), Map.of("FAKE_OUTPUT", "starting"), dir.resolve("slow.log"), READY, Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("not ready within 2 s"), e.getMessage());
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().arguments()
                .map(a -> List.of(a).contains(jar.toString())).orElse(false)), "the child was stopped");
    }

    @Test
    void aMissingJarIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerProcess.start("fake",
                dir.resolve("none.jar"), List.of(), Map.of(), dir.resolve("none.log"), READY, START));
        assertTrue(e.getMessage().contains("none.jar"), e.getMessage());
    }
}
