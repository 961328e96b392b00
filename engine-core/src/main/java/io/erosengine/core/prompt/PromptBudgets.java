package io.erosengine.core.prompt;

/**
 * Token budgets per prompt section. Tokens are estimated by {@link Tokens#estimate(String)}.
 *
 * @param historyMessages recent history messages included (the last N)
 */
public record PromptBudgets(int identity, int background, int localTime, int aboutUser, int shared, int mood,
                            int thisTurn, int rules, int historyMessages, int historyTokens) {
    /** Defaults sized for an 8k-context chat model. */
    public static final PromptBudgets DEFAULTS = new PromptBudgets(600, 500, 40, 500, 400, 120, 150, 200, 20, 2500);

    public PromptBudgets {
        // TODO(core-logic): validate
    }
}
