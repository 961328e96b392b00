package io.erosengine.server.config;

import io.erosengine.core.EngineException;
import java.util.List;

/**
 * The environment does not describe a valid configuration. {@link #problems()} lists every
 * problem found (each names its variable); the message joins them, one per line.
 */
public final class ConfigException extends EngineException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** A failure listing {@code problems} (at least one). */
    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, naming its variable, e.g. {@code "DATABASE_POOL_SIZE must be ..."}. */
    public List<String> problems() { return problems; }
}
