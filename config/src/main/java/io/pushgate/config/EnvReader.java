package io.pushgate.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads typed settings from environment variables, declaring each as it goes.
 *
 * <p>A configuration reads every variable through one reader, then calls {@link #validate()}: a bad value does not
 * stop the reading, so one {@link ConfigException} names every problem, each with its variable, the value found
 * and the values allowed. A blank variable counts as unset. Every read also records a {@link Setting} (name,
 * default, allowed values), which {@link #settings()} returns for the documentation to be checked against.
 *
 * <pre>{@code
 * EnvReader env = new EnvReader(System.getenv());
 * int port = env.integer("API_PORT", 8080, 0, 65535);
 * String secret = env.required("PUSH_ADMIN_SECRET", "text", "the admin API needs a bearer secret");
 * env.validate(); // throws ConfigException listing every problem
 * }</pre>
 */
public final class EnvReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final List<Setting> settings = new ArrayList<>();

    public EnvReader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * The configuration {@code read} builds from {@code env}, validated: throws a {@link ConfigException} naming
     * every problem {@code read} met.
     */
    public static <T> T read(Map<String, String> env, Function<EnvReader, T> read) {
        EnvReader reader = new EnvReader(env);
        T config = read.apply(reader);
        reader.validate();
        return config;
    }

    /** The settings {@code read} declares, in its order (it reads an empty environment; its problems are ignored). */
    public static List<Setting> declaredBy(Function<EnvReader, ?> read) {
        EnvReader reader = new EnvReader(Map.of());
        read.apply(reader);
        return reader.settings();
    }

    /** {@code defaults} with {@code overrides} on top: the environment of a test's configuration. */
    public static Map<String, String> overriding(Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(defaults);
        merged.putAll(overrides);
        return merged;
    }

    /** A text setting, trimmed; {@code fallback} when unset ({@code null}: unset by default). */
    public String string(String name, String fallback, String allowed) {
        return string(name, fallback, fallback == null ? "unset" : fallback, allowed);
    }

    /** As {@link #string(String, String, String)}, with a default that the docs describe as {@code defaultText}. */
    public String string(String name, String fallback, String defaultText, String allowed) {
        declare(name, defaultText, allowed);
        String value = raw(name);
        return value == null ? fallback : value.trim();
    }

    /** A text setting taken as it is, spaces included (a password); {@code ""} when unset. */
    public String verbatim(String name, String defaultText, String allowed) {
        declare(name, defaultText, allowed);
        return env.getOrDefault(name, "");
    }

    /** A text setting that must be set; {@code why} finishes the sentence "NAME is not set: …". */
    public String required(String name, String allowed, String why) {
        declare(name, "required", allowed);
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is not set: " + why);
            return null;
        }
        return value.trim();
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String name, int fallback, int min, int max) {
        declare(name, Integer.toString(fallback), min + "-" + max);
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number between " + min + " and " + max + ", got '" + value + "'");
            return fallback;
        }
    }

    /** A number from {@code min} to {@code max}, fractions allowed. */
    public double decimal(String name, double fallback, double min, double max) {
        declare(name, number(fallback), number(min) + "-" + number(max));
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!(parsed >= min && parsed <= max)) {
                problems.add(name + " must be between " + number(min) + " and " + number(max) + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number between " + number(min) + " and " + number(max)
                    + ", got '" + value + "'");
            return fallback;
        }
    }

    /** {@code true}, {@code 1}, {@code yes} or {@code false}, {@code 0}, {@code no}, any case. */
    public boolean bool(String name, boolean fallback, String defaultText) {
        declare(name, defaultText, "true, false (also 1/0, yes/no)");
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problems.add(name + " must be true or false, got '" + value + "'");
                yield fallback;
            }
        };
    }

    /** One of {@code type}'s constants, written in lower case ({@code DIRECTORY} is {@code directory}). */
    public <E extends Enum<E>> E oneOf(String name, E fallback, Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants())
                .map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
        declare(name, fallback.name().toLowerCase(Locale.ROOT), String.join(", ", names));
        String value = raw(name);
        if (value == null) {
            return fallback;
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        if (!names.contains(wanted)) {
            problems.add(name + " must be " + String.join(" or ", names) + ", got '" + value + "'");
            return fallback;
        }
        return Enum.valueOf(type, wanted.toUpperCase(Locale.ROOT));
    }

    /** A comma-separated list of URLs, each trimmed, empty entries dropped; at least one, each of a scheme. */
    public List<String> urls(String name, String fallback, String... schemes) {
        List<String> prefixes = Arrays.stream(schemes).map(scheme -> scheme + "://").toList();
        declare(name, fallback, "comma-separated " + String.join(" or ", prefixes) + " URLs");
        String value = raw(name);
        List<String> urls = Arrays.stream((value == null ? fallback : value).split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        for (String url : urls) {
            if (prefixes.stream().noneMatch(url::startsWith)) {
                problems.add(name + " must be " + String.join(" or ", prefixes) + " URLs, got '" + url + "'");
            }
        }
        if (urls.isEmpty()) {
            problems.add(name + " is empty");
        }
        return urls;
    }

    /** Records a problem a configuration found itself (a rule across settings, a format). */
    public void problem(String sentence) {
        problems.add(sentence);
    }

    /** Throws a {@link ConfigException} naming every problem found so far, if there is any. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /** Every setting read so far, in the order read. */
    public List<Setting> settings() {
        return List.copyOf(settings);
    }

    private String raw(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private void declare(String name, String defaultText, String allowed) {
        if (settings.stream().anyMatch(s -> s.name().equals(name))) {
            throw new IllegalStateException(name + " is read twice");
        }
        settings.add(new Setting(name, defaultText, allowed));
    }

    /** 5.0 as {@code 5}, 0.01 as {@code 0.01}: as a person writes it. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value) : Double.toString(value);
    }
}
