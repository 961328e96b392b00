package io.erosengine.core.port;

import java.util.Locale;

/** The model tasks of the engine; each has its own model settings in the model config. */
public enum ModelTask {
    CHAT_COMPANION, MEMORY_EXTRACTION, INSIGHT_EXTRACTION, AFFINITY_EVALUATION, EMBEDDING;

    /** The config name ({@code chat_companion}). */
    public String configName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a config name; throws IllegalArgumentException when unknown. */
    public static ModelTask parse(String text) { return valueOf(text.trim().toUpperCase(Locale.ROOT)); }
}
