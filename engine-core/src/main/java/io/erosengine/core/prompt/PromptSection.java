package io.erosengine.core.prompt;

/**
 * One section of the system prompt as assembled.
 *
 * @param title the heading, e.g. "What you know about the user"
 * @param truncated true when content was dropped to stay within {@code budgetTokens}
 */
public record PromptSection(String title, String text, int estimatedTokens, int budgetTokens, boolean truncated) {}
