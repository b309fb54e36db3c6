package io.pushgate.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How long a HotSpot JVM on this machine has spent compiling, read from the performance counters it publishes in
 * {@code /tmp/hsperfdata_<user>/<pid>} (the file {@code jstat -compiler} reads: {@code java.ci.totalTime} in ticks of
 * {@code sun.os.hrt.frequency}). Reading the file costs microseconds, where {@code jcmd} or {@code jstat} would start a
 * JVM for every look; the benchmarks use it to warm up until every JVM's JIT has gone quiet.
 */
final class JitClock {
    private static final int MAGIC = 0xcafec0c0;

    private JitClock() {
    }

    /**
     * Milliseconds process {@code pid} has spent in its JIT compilers; empty if it publishes no counters (not HotSpot,
     * {@code -XX:-UsePerfData}, ended, or another user's).
     */
    static OptionalLong compileMillis(long pid) {
        Path file = Path.of("/tmp", "hsperfdata_" + System.getProperty("user.name"), Long.toString(pid));
        try {
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(file));
            if (data.limit() < 32 || data.order(ByteOrder.BIG_ENDIAN).getInt(0) != MAGIC) {
                return OptionalLong.empty();
            }
            data.order(data.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            OptionalLong ticks = counter(data, "java.ci.totalTime");
            OptionalLong frequency = counter(data, "sun.os.hrt.frequency");
            if (ticks.isEmpty() || frequency.isEmpty() || frequency.getAsLong() <= 0) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(ticks.getAsLong() * 1000 / frequency.getAsLong());
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The value of the long counter {@code name}. Layout (HotSpot's perfMemory / perfData): after a prologue holding
     * the first entry's offset at byte 24 and the number of entries at byte 28, each entry starts with its length,
     * its name's offset, a vector length, a type byte ({@code 'J'} for a long) and three more bytes, then its data's
     * offset; names are NUL-terminated.
     */
    private static OptionalLong counter(ByteBuffer data, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.US_ASCII);
        int entry = data.getInt(24);
        int entries = data.getInt(28);
        for (int i = 0; i < entries && entry > 0 && entry + 20 <= data.limit(); i++) {
            int length = data.getInt(entry);
            int nameAt = entry + data.getInt(entry + 4);
            if (data.get(entry + 12) == 'J' && data.getInt(entry + 8) == 0 && matches(data, nameAt, wanted)) {
                return OptionalLong.of(data.getLong(entry + data.getInt(entry + 16)));
            }
            if (length <= 0) {
                break;
            }
            entry += length;
        }
        return OptionalLong.empty();
    }

    private static boolean matches(ByteBuffer data, int at, byte[] wanted) {
        if (at + wanted.length >= data.limit()) {
            return false;
        }
        for (int i = 0; i < wanted.length; i++) {
            if (data.get(at + i) != wanted[i]) {
                return false;
            }
        }
        return data.get(at + wanted.length) == 0;
    }
}
