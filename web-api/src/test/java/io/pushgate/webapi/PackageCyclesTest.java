package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of web-api depend on each other, directly or through others: each feature package can be read,
 * and changed, from the bottom up. Dependencies are read from the sources (imports and fully qualified names in
 * code), which is what a reader sees.
 */
class PackageCyclesTest {
    private static final String ROOT = "io.pushgate.webapi";
    private static final Path SOURCES = Path.of("src/main/java/io/pushgate/webapi");
    /** {@code io.pushgate.webapi.<package>.<Type>}, in an import or in code. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.pushgate\\.webapi\\.([a-z][a-z0-9_]*)\\.[A-Z]");

    @Test
    void webApiHasNoPackageCycle() {
        Map<String, Set<String>> dependencies = dependencies(SOURCES);
        assertTrue(dependencies.keySet().containsAll(Set.of("auth", "message", "push", "user")),
                dependencies.toString());
        assertEquals(List.of(), cycles(dependencies), "package cycles in web-api");
    }

    @Test
    void aCycleThroughAnotherPackageIsFound() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of("a -> b -> c -> a"), cycles(graph));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of(), "c", Set.of("a", "b"))));
    }

    /** Each package (relative to {@value #ROOT}, {@code ""} for the root) and the other packages it uses. */
    private static Map<String, Set<String>> dependencies(Path sources) {
        Map<String, Set<String>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = sources.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> uses = out.computeIfAbsent(pkg, p -> new TreeSet<>());
                for (String line : Files.readAllLines(file)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue; // a comment: a {@link} is no dependency of the code
                    }
                    Matcher m = REFERENCE.matcher(code);
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            uses.add(m.group(1));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every package that reaches itself, as the shortest path back ("a -> b -> a"), one per package. */
    private static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : new TreeSet<>(graph.keySet())) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> path = pathBack(graph, start);
            if (path != null) {
                reported.addAll(path);
                found.add(String.join(" -> ", path));
            }
        }
        return found;
    }

    /** The shortest path from {@code start} back to itself (breadth first), or null. */
    private static List<String> pathBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        List<String> frontier = new ArrayList<>(List.of(start));
        while (!frontier.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String node : frontier) {
                for (String to : graph.getOrDefault(node, Set.of())) {
                    if (to.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String n = node; !n.equals(start); n = cameFrom.get(n)) {
                            path.add(1, n);
                        }
                        path.add(start);
                        return path;
                    }
                    if (!cameFrom.containsKey(to)) {
                        cameFrom.put(to, node);
                        next.add(to);
                    }
                }
            }
            frontier = next;
        }
        return null;
    }
}
