package io.pushgate.config;

import java.util.List;

/** Thrown when the environment does not describe a server that can start; lists every problem, not just the first. */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    ConfigException(List<String> problems) {
        super("invalid configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One sentence per problem, each naming its variable. */
    public List<String> problems() {
        return problems;
    }
}
