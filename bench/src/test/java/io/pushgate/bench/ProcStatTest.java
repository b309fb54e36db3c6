package io.pushgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void cpuTimeOfThisProcessGrowsWhileItComputes() {
        long before = ProcStat.cpuNanos(SELF).orElseThrow();
        long deadline = System.nanoTime() + 3_000_000_000L;
        long x = 0;
        while (ProcStat.cpuNanos(SELF).orElseThrow() < before + 50_000_000L && System.nanoTime() < deadline) {
            for (int i = 0; i < 1_000_000; i++) {
                x += i * 31L ^ x;
            }
        }
        assertTrue(ProcStat.cpuNanos(SELF).orElseThrow() >= before + 50_000_000L, "50 ms of CPU counted " + x);
    }

    @Test
    void theMachineIsBusyAtLeastAsLongAsThisProcess() {
        long machine = ProcStat.machineBusyNanos().orElseThrow();
        long self = ProcStat.cpuNanos(SELF).orElseThrow();
        long x = 0;
        for (int i = 0; i < 50_000_000; i++) {
            x += i * 31L ^ x;
        }
        long selfUsed = ProcStat.cpuNanos(SELF).orElseThrow() - self;
        long machineUsed = ProcStat.machineBusyNanos().orElseThrow() - machine;
        assertTrue(machineUsed + 20_000_000L >= selfUsed, machineUsed + " >= " + selfUsed + " (" + x + ")");
    }

    @Test
    void anEndedProcessHasNoCpuTime() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertTrue(ProcStat.cpuNanos(p.pid()).isEmpty());
    }

    @Test
    void findsAProcessByItsCommandName() {
        String comm = ProcessHandle.current().info().command().map(c -> c.substring(c.lastIndexOf('/') + 1))
                .orElseThrow(); // "java"
        assertTrue(ProcStat.find(Set.of(comm)).isPresent());
        assertTrue(ProcStat.find(Set.of("no-such-program-here")).isEmpty());
    }

    @Test
    void loadAverageHasThreeFigures() {
        assertEquals(3, ProcStat.loadAverage().split(" ").length);
    }
}
