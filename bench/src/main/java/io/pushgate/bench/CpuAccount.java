package io.pushgate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the CPU of a measured window went, by process: each named process's utime + stime from {@code /proc}
 * between {@link #start()} and {@link #stop(long)}. The benchmarks name the servers they started, their own JVM and
 * the local database (or Redis) server. What the rest of the machine used meanwhile (other processes: whatever else
 * runs on a shared machine) is reported beside them, as a measure of how disturbed the window was.
 */
final class CpuAccount {
    private final Map<String, Long> pids = new LinkedHashMap<>();
    /** The key of {@link #stop}'s entry for the CPU of every process not added. */
    static final String OTHERS = "(other processes on this machine)";
    private final Map<String, Long> started = new LinkedHashMap<>();
    private OptionalLong machineStarted = OptionalLong.empty();

    /** Accounts for process {@code pid} as {@code name}. */
    void add(String name, long pid) {
        pids.put(name, pid);
    }

    void start() {
        started.clear();
        machineStarted = ProcStat.machineBusyNanos();
        pids.forEach((name, pid) -> ProcStat.cpuNanos(pid).ifPresent(n -> started.put(name, n)));
    }

    /**
     * CPU microseconds per unit of work (e.g. per stored message) since {@link #start()}, by process, in the order
     * they were added (a process that could not be read at both ends is left out), then {@link #OTHERS}.
     */
    Map<String, Double> stop(long units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        long accounted = 0;
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            OptionalLong now = ProcStat.cpuNanos(process.getValue());
            if (now.isPresent() && started.containsKey(process.getKey())) {
                long used = now.getAsLong() - started.get(process.getKey());
                accounted += used;
                perUnit.put(process.getKey(), used / 1e3 / Math.max(1, units));
            }
        }
        OptionalLong machine = ProcStat.machineBusyNanos();
        if (machine.isPresent() && machineStarted.isPresent()) {
            long others = Math.max(0, machine.getAsLong() - machineStarted.getAsLong() - accounted);
            perUnit.put(OTHERS, others / 1e3 / Math.max(1, units));
        }
        return perUnit;
    }

    /** Prints {@link #stop} as a table: the processes, their total, then the other processes' share. */
    static void print(String title, Map<String, Double> microsPerUnit) {
        System.out.println(title);
        double total = 0;
        for (Map.Entry<String, Double> e : microsPerUnit.entrySet()) {
            if (!e.getKey().equals(OTHERS)) {
                System.out.printf("  %-45s %8.0f µs%n", e.getKey(), e.getValue());
                total += e.getValue();
            }
        }
        System.out.printf("  %-45s %8.0f µs%n", "total", total);
        if (microsPerUnit.containsKey(OTHERS)) {
            System.out.printf("  %-45s %8.0f µs%n", OTHERS, microsPerUnit.get(OTHERS));
        }
    }
}
