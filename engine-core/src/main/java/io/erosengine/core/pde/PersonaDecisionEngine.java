package io.erosengine.core.pde;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostDecision;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.Checks;
import io.erosengine.core.model.GiftPersonality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Persona Decision Engine: event -> action plan, a pure function (same input, same plan).
 * Rules in order:
 * <ol>
 *   <li>gift -> gift_reaction, style from gift_personality (gold_digger excited, tsundere tsundere,
 *       zen neutral, warm warm), pushes = {@link AffinityEngine#giftPushes};</li>
 *   <li>user message and the ghost rule says ghost -> ghost, style cold, pushes = the message's rule
 *       pushes plus the policy's ghost pushes (applied, not only computed);</li>
 *   <li>proactive trigger -> quiet when tension >= {@value #PROACTIVE_MAX_TENSION}, patience <
 *       {@value #APP_OPEN_MIN_PATIENCE} or intrigue < {@value #PROACTIVE_MIN_INTRIGUE}; else proactive
 *       (style from affinity, no pushes) asking about the open thread if there is one;</li>
 *   <li>app open -> quiet when patience < {@value #APP_OPEN_MIN_PATIENCE}, warmth <
 *       {@value #APP_OPEN_MIN_WARMTH} or the persona spoke first within {@link #APP_OPEN_QUIET_PERIOD};
 *       else proactive (style from affinity, no pushes) opening with the open thread if there is
 *       one, else the recent memory if there is one, else a greeting;</li>
 *   <li>otherwise (a user message) -> reply, style from affinity ({@link #styleFor}), pushes = the
 *       rule pushes of {@link AffinityEngine#appraiseMessage}.</li>
 * </ol>
 * Prompt hints are short situational lines (the gift, a long absence, why the persona reaches out);
 * the style itself travels in {@link ActionPlan#style()}. Thread-safe.
 */
public final class PersonaDecisionEngine {
    /** Hint when the user's previous message is older than the policy's stale limit. */
    static final String HINT_LONG_ABSENCE = "The user is back after a long absence (%s); you noticed.";
    /** Hint of a ghost plan. */
    static final String HINT_GHOST = "You chose not to answer this message.";
    /** Hint of an app open with nothing to reference. */
    static final String HINT_APP_OPEN = "The user just opened the app; say hello first.";
    /** Hint of an app open that references an open thread. */
    static final String HINT_APP_OPEN_THREAD = "The user just opened the app; write first and ask about this: %s";
    /** Hint of an app open that references a memory. */
    static final String HINT_APP_OPEN_MEMORY = "The user just opened the app; write first and bring up what you remember: %s";
    /** Below this patience the persona lets an app open pass. */
    public static final double APP_OPEN_MIN_PATIENCE = 0.25;
    /** Below this warmth the persona lets an app open pass. */
    public static final double APP_OPEN_MIN_WARMTH = 0.2;
    /** At or above this tension the persona does not reach out on a proactive trigger. */
    public static final double PROACTIVE_MAX_TENSION = 0.6;
    /** Below this intrigue the persona does not reach out on a proactive trigger. */
    public static final double PROACTIVE_MIN_INTRIGUE = 0.3;
    /** After speaking first, the persona stays quiet on app opens for this long. */
    public static final Duration APP_OPEN_QUIET_PERIOD = Duration.ofHours(6);

    private final AffinityEngine affinity;
    private final GhostPolicy ghostPolicy;
    private final GiftCatalog giftCatalog;

    /** An engine with the given affinity model, ghost policy and gift catalog. */
    public PersonaDecisionEngine(AffinityEngine affinity, GhostPolicy ghostPolicy, GiftCatalog giftCatalog) {
        this.affinity = Checks.required(affinity, "affinity engine");
        this.ghostPolicy = Checks.required(ghostPolicy, "ghost policy");
        this.giftCatalog = Checks.required(giftCatalog, "gift catalog");
    }

    /** Decides the plan for one event; never reads a clock, never fails for a valid input. */
    public ActionPlan decide(PdeInput input) {
        Checks.required(input, "pde input");
        return input.event().fold(
                message -> onUserMessage(message, input),
                gift -> onGift(gift.gift(), input),
                trigger -> onProactiveTrigger(trigger, input),
                open -> onAppOpen(open, input));
    }

    private static ActionPlan onProactiveTrigger(PdeEvent.ProactiveTrigger trigger, PdeInput input) {
        AffinityState s = input.affinity();
        if (s.tension() >= PROACTIVE_MAX_TENSION || s.patience() < APP_OPEN_MIN_PATIENCE || s.intrigue() < PROACTIVE_MIN_INTRIGUE) {
            return new ActionPlan(new PlannedAction.Quiet(), styleFor(s), AffinityDelta.ZERO, List.of(), null);
        }
        String hint = proactiveHint(trigger.reason());
        return trigger.openThread() == null ? proactive(PlannedAction.Opener.TRIGGER, input, hint)
                : proactive(PlannedAction.Opener.OPEN_THREAD, input, hint + " Ask how this went: " + trigger.openThread());
    }

    private static ActionPlan onAppOpen(PdeEvent.AppOpen open, PdeInput input) {
        AffinityState s = input.affinity();
        boolean spokeRecently = open.sinceSpokeFirst().filter(d -> d.compareTo(APP_OPEN_QUIET_PERIOD) < 0).isPresent();
        if (s.patience() < APP_OPEN_MIN_PATIENCE || s.warmth() < APP_OPEN_MIN_WARMTH || spokeRecently) {
            return new ActionPlan(new PlannedAction.Quiet(), styleFor(s), AffinityDelta.ZERO, List.of(), null);
        }
        if (open.openThread() != null) {
            return proactive(PlannedAction.Opener.OPEN_THREAD, input, String.format(HINT_APP_OPEN_THREAD, open.openThread()));
        }
        if (open.recentMemory() != null) {
            return proactive(PlannedAction.Opener.MEMORY, input, String.format(HINT_APP_OPEN_MEMORY, open.recentMemory()));
        }
        return proactive(PlannedAction.Opener.GREETING, input, HINT_APP_OPEN);
    }

    private static ActionPlan proactive(PlannedAction.Opener opener, PdeInput input, String hint) {
        return new ActionPlan(new PlannedAction.Proactive(opener), styleFor(input.affinity()), AffinityDelta.ZERO,
                List.of(hint), null);
    }

    private ActionPlan onGift(GiftEvent gift, PdeInput input) {
        ReplyStyle style = giftStyle(input.persona().giftPersonality());
        String label = gift.label() != null && !gift.label().isBlank() ? gift.label().strip()
                : giftCatalog.find(gift.giftId()).map(GiftCatalog.Entry::label).orElse(gift.giftId());
        return new ActionPlan(new PlannedAction.GiftReaction(), style, affinity.giftPushes(gift, giftCatalog),
                List.of("The user sent you a gift: " + label + ". React to it in character."), null);
    }

    private ActionPlan onUserMessage(PdeEvent.UserMessage message, PdeInput input) {
        TurnSignals signals = input.signals();
        AffinityDelta rulePushes = affinity.appraiseMessage(message.text(), signals.sincePreviousUserMessage());
        GhostDecision ghost = ghostPolicy.decide(input.affinity(), signals);
        if (ghost.ghost()) {
            return new ActionPlan(new PlannedAction.Ghost(), ReplyStyle.COLD,
                    rulePushes.plus(affinity.policy().ghostPushes()), List.of(HINT_GHOST), ghost);
        }
        List<String> hints = new ArrayList<>();
        if (affinity.isStale(signals.sincePreviousUserMessage())) {
            hints.add(String.format(HINT_LONG_ABSENCE, absence(signals.sincePreviousUserMessage().get())));
        }
        return new ActionPlan(new PlannedAction.Reply(), styleFor(input.affinity()), rulePushes, hints, ghost);
    }

    private static String proactiveHint(String reason) {
        String why = reason == null || reason.isBlank() ? "" : " (" + reason.strip() + ")";
        return "You reach out to the user first" + why + "; keep it light.";
    }

    /** The gift reaction's style: gold_digger excited, tsundere tsundere, zen neutral, warm warm. */
    public static ReplyStyle giftStyle(GiftPersonality personality) {
        return switch (Checks.required(personality, "gift personality")) {
            case GOLD_DIGGER -> ReplyStyle.EXCITED;
            case TSUNDERE -> ReplyStyle.TSUNDERE;
            case ZEN -> ReplyStyle.NEUTRAL;
            case WARM -> ReplyStyle.WARM;
        };
    }

    /**
     * The reply style derived from affinity, first match wins: cold when tension >= 0.6 and
     * warmth < 0.4; excited when warmth >= 0.6 and intrigue >= 0.7; warm when warmth >= 0.6;
     * else neutral.
     */
    public static ReplyStyle styleFor(AffinityState s) {
        Checks.required(s, "affinity");
        if (s.tension() >= 0.6 && s.warmth() < 0.4) return ReplyStyle.COLD;
        if (s.warmth() >= 0.6 && s.intrigue() >= 0.7) return ReplyStyle.EXCITED;
        if (s.warmth() >= 0.6) return ReplyStyle.WARM;
        return ReplyStyle.NEUTRAL;
    }

    private static String absence(Duration d) {
        long days = d.toDays();
        return days >= 2 ? days + " days" : days == 1 ? "a day" : d.toHours() + " hours";
    }
}
