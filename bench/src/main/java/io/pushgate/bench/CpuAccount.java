package io.pushgate.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the CPU of a measured window went, by process: each named process's utime + stime from {@code /proc}
 * between {@link #start()} and {@link #stop(long)}. The benchmarks name the servers they started, their own JVM and
 * the local database (or Redis) server.
 */
final class CpuAccount {
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Long> started = new LinkedHashMap<>();

    /** Accounts for process {@code pid} as {@code name}. */
    void add(String name, long pid) {
        pids.put(name, pid);
    }

    void start() {
        started.clear();
        pids.forEach((name, pid) -> ProcStat.cpuNanos(pid).ifPresent(n -> started.put(name, n)));
    }

    /**
     * CPU microseconds per unit of work (e.g. per stored message) since {@link #start()}, by process, in the order
     * they were added; a process that could not be read at both ends is left out.
     */
    Map<String, Double> stop(long units) {
        Map<String, Double> perUnit = new LinkedHashMap<>();
        pids.forEach((name, pid) -> {
            OptionalLong now = ProcStat.cpuNanos(pid);
            if (now.isPresent() && started.containsKey(name)) {
                perUnit.put(name, (now.getAsLong() - started.get(name)) / 1e3 / Math.max(1, units));
            }
        });
        return perUnit;
    }

    /** Prints {@link #stop} as a table. */
    static void print(String title, Map<String, Double> microsPerUnit) {
        System.out.println(title);
        double total = 0;
        for (Map.Entry<String, Double> e : microsPerUnit.entrySet()) {
            System.out.printf("  %-45s %8.0f µs%n", e.getKey(), e.getValue());
            total += e.getValue();
        }
        System.out.printf("  %-45s %8.0f µs%n", "total", total);
    }
}
