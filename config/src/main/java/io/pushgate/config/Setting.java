package io.pushgate.config;

/**
 * One environment variable a configuration reads, as its README table shows it.
 *
 * @param name         the variable, e.g. {@code PUSH_WS_PORT}
 * @param defaultValue what an unset variable means, e.g. {@code 8282} or {@code unset}
 * @param allowed      the values it accepts, e.g. {@code 0-65535} or {@code database, directory}
 */
public record Setting(String name, String defaultValue, String allowed) {
}
