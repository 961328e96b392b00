package io.erosengine.core.pde;

/** What the persona does this turn. */
public sealed interface PlannedAction {
    /** The wire name: reply, ghost, gift_reaction, proactive, quiet. */
    String wireName();

    record Reply() implements PlannedAction { public String wireName() { return "reply"; } }

    record Ghost() implements PlannedAction { public String wireName() { return "ghost"; } }

    record GiftReaction() implements PlannedAction { public String wireName() { return "gift_reaction"; } }

    /** The persona writes first; {@code opener} says what it opens with. */
    record Proactive(Opener opener) implements PlannedAction {
        public Proactive { io.erosengine.core.model.Checks.required(opener, "opener"); }

        public String wireName() { return "proactive"; }
    }

    /** The persona stays quiet (an app open or a proactive trigger it lets pass). */
    record Quiet() implements PlannedAction { public String wireName() { return "quiet"; } }

    /** What a proactive message opens with. */
    enum Opener {
        /** A scheduler's trigger, with its reason. */
        TRIGGER,
        /** A plain hello. */
        GREETING,
        /** An open thread: a promise or an event the user mentioned. */
        OPEN_THREAD,
        /** A recent memory. */
        MEMORY;

        /** The lower-case wire name. */
        public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
