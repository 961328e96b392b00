package io.erosengine.core.prompt;

/**
 * Token budgets per prompt section. Tokens are estimated by {@link Tokens#estimate(String)}. A
 * section's budget covers its body (the lines under its "### title" heading); each must be at least
 * {@value #MIN_SECTION_TOKENS} so the empty-section line and a cut line always fit.
 *
 * @param historyMessages recent history messages included (the last N), >= 0
 * @param historyTokens the recent history's total budget, >= 0; the oldest messages are dropped first
 */
public record PromptBudgets(int identity, int background, int localTime, int aboutUser, int shared, int mood,
                            int thisTurn, int rules, int historyMessages, int historyTokens) {
    /** Defaults sized for an 8k-context chat model. */
    public static final PromptBudgets DEFAULTS = new PromptBudgets(600, 500, 40, 500, 400, 120, 150, 200, 20, 2500);

    /** The smallest budget a section may have. */
    public static final int MIN_SECTION_TOKENS = 8;

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public PromptBudgets {
        section(identity, "identity");
        section(background, "background");
        section(localTime, "local_time");
        section(aboutUser, "about_user");
        section(shared, "shared");
        section(mood, "mood");
        section(thisTurn, "this_turn");
        section(rules, "rules");
        if (historyMessages < 0) throw new IllegalArgumentException("history_messages must be >= 0, got " + historyMessages);
        if (historyTokens < 0) throw new IllegalArgumentException("history_tokens must be >= 0, got " + historyTokens);
    }

    private static void section(int budget, String what) {
        if (budget < MIN_SECTION_TOKENS) {
            throw new IllegalArgumentException(what + " budget must be >= " + MIN_SECTION_TOKENS + " tokens, got " + budget);
        }
    }
}
