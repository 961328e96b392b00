package io.erosengine.core.pde;

/** What the persona does this turn. */
public sealed interface PlannedAction {
    /** The wire name: reply, ghost, gift_reaction, proactive. */
    String wireName();

    record Reply() implements PlannedAction { public String wireName() { return "reply"; } }

    record Ghost() implements PlannedAction { public String wireName() { return "ghost"; } }

    record GiftReaction() implements PlannedAction { public String wireName() { return "gift_reaction"; } }

    record Proactive() implements PlannedAction { public String wireName() { return "proactive"; } }
}
