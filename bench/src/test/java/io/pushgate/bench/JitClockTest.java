package io.pushgate.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitClockTest {
    @Test
    void readsTheCompileTimeOfThisJvmAsTheJvmItselfCountsIt() {
        long counted = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long read = JitClock.compileMillis(ProcessHandle.current().pid()).orElseThrow();
        long after = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        assertTrue(read > 0, "this JVM has compiled something by now");
        assertTrue(read >= counted - 1 && read <= after + 1, counted + " <= " + read + " <= " + after);
    }

    @Test
    void aProcessWithoutCountersHasNone() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(JitClock.compileMillis(p.pid()).isEmpty());
        assertTrue(JitClock.compileMillis(Long.MAX_VALUE).isEmpty());
    }
}
