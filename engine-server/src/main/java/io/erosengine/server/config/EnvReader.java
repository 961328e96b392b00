package io.erosengine.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads typed values from an environment map, collecting one problem per bad variable. */
final class EnvReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env) { this.env = Map.copyOf(env); }

    /** The trimmed value, or empty when unset or blank. */
    Optional<String> text(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    int integer(String name, int defaultValue, int min, int max) {
        Optional<String> v = text(name);
        if (v.isEmpty()) return defaultValue;
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        problem(name + " must be an integer in [" + min + ", " + max + "], got '" + v.get() + "'");
        return defaultValue;
    }

    boolean bool(String name, boolean defaultValue) {
        Optional<String> v = text(name);
        if (v.isEmpty()) return defaultValue;
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on": return true;
            case "false", "0", "no", "off": return false;
            default:
                problem(name + " must be true or false, got '" + v.get() + "'");
                return defaultValue;
        }
    }

    /** An absolute http(s) URL without a trailing slash. */
    Optional<URI> httpUrl(String name) {
        Optional<String> v = text(name);
        if (v.isEmpty()) return Optional.empty();
        String s = v.get().replaceAll("/+$", "");
        try {
            URI uri = new URI(s);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return Optional.of(uri);
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(name + " must be an absolute http:// or https:// URL, got '" + v.get() + "'");
        return Optional.empty();
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
        Optional<String> v = text(name);
        if (v.isEmpty()) return defaultValue;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.get())) return e;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
        problem(name + " must be one of " + String.join(", ", names) + ", got '" + v.get() + "'");
        return defaultValue;
    }

    void problem(String message) { problems.add(message); }

    /** Throws a {@link ConfigException} listing every problem, if there is one. */
    void throwIfProblems() {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }
}
