package io.erosengine.core.prompt;

/**
 * Builds the chat prompt (DOMAIN.md "Prompt assembly"). The system message is the sections below in
 * this order, each introduced by a line {@code "### <title>"}; memories and insights appear one per
 * line as {@code "- <content>"}; an empty section is the single line {@code "(nothing yet)"}.
 *
 * <ol>
 *   <li>{@value #IDENTITY}: persona name, identity and system_prompt</li>
 *   <li>{@value #BACKGROUND}: backstory, speech style, quirks, topics</li>
 *   <li>{@value #LOCAL_TIME}: the persona's local time</li>
 *   <li>{@value #ABOUT_USER}: insights, then profile memories</li>
 *   <li>{@value #SHARED}: relationship memories</li>
 *   <li>{@value #MOOD}: mood directives from affinity</li>
 *   <li>{@value #THIS_TURN}: the PDE's style and hints</li>
 *   <li>{@value #RULES}: stay in character, reply length</li>
 * </ol>
 * Then the last {@code historyMessages} messages as chat messages and the new user message.
 * Pure and thread-safe.
 */
public final class PromptAssembler {
    public static final String IDENTITY = "Who you are";
    public static final String BACKGROUND = "Your background";
    public static final String LOCAL_TIME = "Your local time";
    public static final String ABOUT_USER = "What you know about the user";
    public static final String SHARED = "What only the two of you share";
    public static final String MOOD = "Your mood";
    public static final String THIS_TURN = "This turn";
    public static final String RULES = "Rules";
    /** The line standing in for an empty section. */
    public static final String EMPTY_SECTION = "(nothing yet)";

    private final PromptBudgets budgets;

    public PromptAssembler(PromptBudgets budgets) { this.budgets = budgets; }

    public AssembledPrompt assemble(PromptInput input) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
