package io.pushgate.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entry point of the load tools: {@code java -jar bench/target/bench.jar <tool> [options]}. Each tool is a class
 * with a {@code run(String[] args)} method, registered here by name; see docs/BENCHMARKS.md.
 */
public final class Bench {

    /** One load tool. */
    @FunctionalInterface
    public interface Tool {
        void run(String[] args) throws Exception;
    }

    private static final Map<String, Tool> TOOLS = new LinkedHashMap<>();

    static {
        TOOLS.put("fanout", new FanoutBench());
        TOOLS.put("admin-rate", new AdminRateBench());
        TOOLS.put("idle", new IdleBench());
        TOOLS.put("client", ClientBench::run);
        TOOLS.put("cluster", ClusterBench::run);
        TOOLS.put("api", new ApiBench());
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !TOOLS.containsKey(args[0])) {
            System.err.println("usage: java -jar bench/target/bench.jar <tool> [options]; tools: " + TOOLS.keySet());
            System.exit(2);
        }
        TOOLS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length));
    }
}
