package io.pushgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A process's CPU time and the processes of a given program, from Linux's {@code /proc}. Used to account for CPU by
 * process: the servers the benchmarks start, the load generator itself, and the local MariaDB or Redis server.
 */
final class ProcStat {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

    private ProcStat() {
    }

    /** utime + stime of process {@code pid} in nanoseconds; empty if it has ended or there is no {@code /proc}. */
    static OptionalLong cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
            long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
            return OptionalLong.of(ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The first process whose command name ({@code /proc/PID/comm}) is one of {@code names}; empty if none. */
    static OptionalLong find(Set<String> names) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path dir : (Iterable<Path>) entries.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    if (names.contains(Files.readString(dir.resolve("comm")).trim())) {
                        return OptionalLong.of(Long.parseLong(dir.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // a process that ended while we looked, or one we may not read: skip it
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The load averages over 1, 5 and 15 minutes ({@code /proc/loadavg}), for printing beside a figure. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * CPU time all the machine's cores spent busy since boot (user, nice, system, irq, softirq, steal from the first
     * line of {@code /proc/stat}) in nanoseconds; empty without {@code /proc}.
     */
    static OptionalLong machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return OptionalLong.of(ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
