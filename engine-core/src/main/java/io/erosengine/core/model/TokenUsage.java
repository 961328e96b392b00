package io.erosengine.core.model;

/** Tokens a model call consumed, as the provider reported them. */
public record TokenUsage(int promptTokens, int completionTokens) {
    /** No usage (ghost turns, offline models that do not count). */
    public static final TokenUsage NONE = new TokenUsage(0, 0);

    public TokenUsage {
        if (promptTokens < 0 || completionTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
    }

    public int totalTokens() { return promptTokens + completionTokens; }
}
