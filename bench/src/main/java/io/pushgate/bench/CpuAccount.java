package io.pushgate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where the CPU of a measured window went, for benchmarks that run several parts in one JVM: CPU time per thread
 * (grouped by what the thread's name says it belongs to), the rest of the JVM (JIT compilers, GC), and the local
 * database server's process when it can be found in {@code /proc}. Used as {@code start()} … {@code stop()}.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux this runs on

    private final Function<String, String> groupOf;
    private final Map<Long, Long> threadStart = new LinkedHashMap<>();
    private final Map<Long, String> threadGroup = new LinkedHashMap<>();
    private long processStart;
    private OptionalLong databaseStart = OptionalLong.empty();

    /** {@code groupOf} names the part a thread belongs to, from the thread's name. */
    CpuAccount(Function<String, String> groupOf) {
        this.groupOf = groupOf;
    }

    /**
     * Puts {@code thread} in {@code group} whatever its name says at the time (libraries such as OkHttp rename the
     * threads that run their calls).
     */
    void assign(Thread thread, String group) {
        threadGroup.put(thread.getId(), group);
    }

    void start() {
        processStart = processCpuNanos();
        databaseStart = databaseCpuNanos();
        for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
            threadStart.put(t.getThreadId(), THREADS.getThreadCpuTime(t.getThreadId()));
            threadGroup.putIfAbsent(t.getThreadId(), groupOf.apply(t.getThreadName()));
        }
    }

    /**
     * CPU microseconds per unit of work (e.g. per stored message) since {@link #start()}, by part, in the order
     * the parts were first seen; then "JVM: JIT, GC and other" and, if found, "database server process".
     */
    Map<String, Double> stop(long units) {
        Map<String, Long> nanos = new LinkedHashMap<>();
        long threadsTotal = 0;
        for (ThreadInfo t : THREADS.dumpAllThreads(false, false)) {
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) {
                continue; // ended meanwhile
            }
            long used = now - threadStart.getOrDefault(t.getThreadId(), 0L);
            String group = threadGroup.computeIfAbsent(t.getThreadId(), id -> groupOf.apply(t.getThreadName()));
            nanos.merge(group, used, Long::sum);
            threadsTotal += used;
        }
        nanos.put("JVM: JIT, GC and other", Math.max(0, processCpuNanos() - processStart - threadsTotal));
        OptionalLong database = databaseCpuNanos();
        if (database.isPresent() && databaseStart.isPresent()) {
            nanos.put("database server process", database.getAsLong() - databaseStart.getAsLong());
        }
        Map<String, Double> perUnit = new LinkedHashMap<>();
        nanos.forEach((group, n) -> perUnit.put(group, n / 1e3 / Math.max(1, units)));
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

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** utime + stime of a local mariadbd or mysqld, from /proc; empty where there is none or no /proc. */
    private static OptionalLong databaseCpuNanos() {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path dir : (Iterable<Path>) entries.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    String comm = Files.readString(dir.resolve("comm")).trim();
                    if (!comm.equals("mariadbd") && !comm.equals("mysqld")) {
                        continue;
                    }
                    String stat = Files.readString(dir.resolve("stat"));
                    // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
                    List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
                    long ticks = Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
                    return OptionalLong.of(ticks * 1_000_000_000L / CLOCK_TICKS_PER_SECOND);
                } catch (IOException | RuntimeException e) {
                    // a process that ended while we looked, or one we may not read: skip it
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
