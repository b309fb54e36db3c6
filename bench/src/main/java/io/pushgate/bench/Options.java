package io.pushgate.bench;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults. */
final class Options {
    private final Map<String, String> values = new HashMap<>();

    Options(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        return Integer.parseInt(values.getOrDefault(name, Integer.toString(fallback)));
    }

    URI admin() {
        return URI.create(string("admin", "http://127.0.0.1:8283"));
    }

    URI ws() {
        return URI.create(string("ws", "ws://127.0.0.1:8282/"));
    }

    String secret() {
        String secret = string("secret", System.getenv("PUSH_ADMIN_SECRET"));
        if (secret == null) {
            throw new IllegalArgumentException("give --secret or set PUSH_ADMIN_SECRET");
        }
        return secret;
    }
}
