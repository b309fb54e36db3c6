package io.pushgate.webapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pushgate.config.Setting;
import io.pushgate.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's settings tables say what the code reads: every variable {@link ServerConfig#settings()} and
 * {@link WebApiConfig#settings()} declare has a row with the same default and the same allowed values, and every
 * row is a declared variable (or the log level, which logback reads). Here because web-api's tests see both.
 */
class SettingsTablesTest {
    private static final Path README = Path.of("../README.md");

    @Test
    void thePushServerTableMatchesServerConfig() throws IOException {
        assertTableMatches("### Configuration", ServerConfig.settings(), "PUSH_LOG_LEVEL");
    }

    @Test
    void theWebApiTableMatchesWebApiConfig() throws IOException {
        assertTableMatches("### web-api configuration", WebApiConfig.settings(), "WEBAPI_LOG_LEVEL");
    }

    /** The first table under {@code heading}: variable, default, allowed values, meaning. */
    private static void assertTableMatches(String heading, List<Setting> settings, String logLevel)
            throws IOException {
        Map<String, String[]> rows = table(Files.readAllLines(README), heading);
        List<String> problems = new ArrayList<>();
        for (Setting setting : settings) {
            String[] row = rows.get(setting.name());
            if (row == null) {
                problems.add(setting.name() + ": no row");
                continue;
            }
            String documented = plain(row[1]);
            if (!documented.equals(setting.defaultValue()) && !documented.startsWith(setting.defaultValue() + " ")) {
                problems.add(setting.name() + ": default '" + documented + "', the code's is '"
                        + setting.defaultValue() + "'");
            }
            if (!plain(row[2]).equals(setting.allowed())) {
                problems.add(setting.name() + ": allowed '" + plain(row[2]) + "', the code's are '"
                        + setting.allowed() + "'");
            }
        }
        TreeSet<String> undeclared = new TreeSet<>(rows.keySet());
        settings.forEach(s -> undeclared.remove(s.name()));
        undeclared.remove(logLevel);
        undeclared.forEach(name -> problems.add(name + ": documented, never read"));
        assertEquals(List.of(), problems, heading);
    }

    private static Map<String, String[]> table(List<String> lines, String heading) {
        int at = lines.indexOf(heading);
        assertTrue(at >= 0, "README has no '" + heading + "'");
        while (at < lines.size() && !lines.get(at).startsWith("|")) {
            at++;
        }
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) { // past the header and the rule
            String[] cells = lines.get(at).substring(1).split("\\|");
            assertTrue(cells.length >= 4, "a row of four cells: " + lines.get(at));
            rows.put(plain(cells[0]), cells);
        }
        return rows;
    }

    private static String plain(String cell) {
        return cell.replace("`", "").trim();
    }
}
