package io.erosengine.core.pde;

import static io.erosengine.core.Fixtures.persona;
import static io.erosengine.core.Fixtures.signals;
import static io.erosengine.core.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.GiftPersonality;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonaDecisionEngineTest {
    private static final AffinityState GHOSTLY = state(0.2, 0.2, 0.0, 0.0, 0.0, 1.0);
    private final AffinityEngine affinity = new AffinityEngine(AffinityPolicy.DEFAULTS);
    private final PersonaDecisionEngine pde = new PersonaDecisionEngine(affinity, GhostPolicy.DEFAULTS, GiftCatalog.DEFAULT);

    private ActionPlan decide(PdeEvent event, AffinityState s, TurnSignals signals) {
        return pde.decide(new PdeInput(event, s, persona(), signals));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"GOLD_DIGGER, EXCITED", "TSUNDERE, TSUNDERE", "ZEN, NEUTRAL", "WARM, WARM"})
    void a_gift_gets_a_gift_reaction_styled_by_the_gift_personality(GiftPersonality personality, ReplyStyle style) {
        GiftEvent rose = new GiftEvent("rose", null, 2, null, null);
        ActionPlan plan = pde.decide(new PdeInput(new PdeEvent.Gift(rose), GHOSTLY, persona(personality), signals(50)));
        assertThat(plan.action()).isEqualTo(new PlannedAction.GiftReaction());
        assertThat(plan.action().wireName()).isEqualTo("gift_reaction");
        assertThat(plan.style()).isEqualTo(style);
        assertThat(plan.pushes()).isEqualTo(affinity.giftPushes(rose, GiftCatalog.DEFAULT));
        assertThat(plan.ghost()).isNull();
        assertThat(plan.promptHints()).anySatisfy(h -> assertThat(h).contains("a red rose"));
    }

    @Test
    void a_gift_hint_uses_the_label_the_user_gave() {
        ActionPlan plan = decide(new PdeEvent.Gift(new GiftEvent(null, "a hand-written poem", 0, null, null)),
                AffinityState.INITIAL, signals(1));
        assertThat(plan.promptHints()).containsExactly("The user sent you a gift: a hand-written poem. React to it in character.");
        assertThat(plan.pushes()).isEqualTo(AffinityEngine.UNKNOWN_GIFT_PUSHES);
    }

    @ParameterizedTest(name = "message of {0} chars, previous {1} h ago: patience {2}, tension {3}, intrigue {4}")
    @CsvSource({
            "10, 1,  -0.05, 0.05, 0.0",
            "2,  1,  -0.07, 0.05, 0.0",
            "40, 1,  -0.03, 0.05, 0.02",
            "10, 30, -0.10, 0.08, 0.0",
    })
    void a_ghost_applies_the_rule_pushes_plus_the_ghost_pushes(int chars, long hoursSincePrevious, double patience,
                                                             double tension, double intrigue) {
        TurnSignals s = new TurnSignals(12, Optional.of(Duration.ofHours(hoursSincePrevious)), 0, 0, Optional.empty());
        ActionPlan plan = decide(new PdeEvent.UserMessage("x".repeat(chars)), GHOSTLY, s);
        assertThat(plan.action()).isEqualTo(new PlannedAction.Ghost());
        assertThat(plan.style()).isEqualTo(ReplyStyle.COLD);
        assertThat(plan.pushes().patience()).isCloseTo(patience, within(1e-9));
        assertThat(plan.pushes().tension()).isCloseTo(tension, within(1e-9));
        assertThat(plan.pushes().intrigue()).isCloseTo(intrigue, within(1e-9));
        assertThat(plan.ghost().ghost()).isTrue();
        assertThat(plan.promptHints()).containsExactly(PersonaDecisionEngine.HINT_GHOST);
    }

    @ParameterizedTest(name = "previous user message {0} min ago: stale = {1}")
    @CsvSource({"1, false", "1440, false", "1441, true", "4320, true", "-1, false"})
    void the_stale_rule_is_measured_from_the_previous_user_message(long minutes, boolean stale) {
        Optional<Duration> since = minutes < 0 ? Optional.empty() : Optional.of(Duration.ofMinutes(minutes));
        TurnSignals s = new TurnSignals(3, since, 0, 0, Optional.empty());
        ActionPlan plan = decide(new PdeEvent.UserMessage("how was your day?"), AffinityState.INITIAL, s);
        assertThat(plan.action()).isEqualTo(new PlannedAction.Reply());
        AffinityDelta expected = stale ? AffinityPolicy.DEFAULTS.stalePushes() : AffinityDelta.ZERO;
        assertThat(plan.pushes()).isEqualTo(expected);
        if (stale) {
            assertThat(plan.promptHints()).singleElement().asString().contains("long absence");
        } else {
            assertThat(plan.promptHints()).isEmpty();
        }
    }

    @Test
    void the_long_absence_hint_names_the_days() {
        TurnSignals s = new TurnSignals(3, Optional.of(Duration.ofDays(3).plusHours(2)), 0, 0, Optional.empty());
        assertThat(decide(new PdeEvent.UserMessage("hi again"), AffinityState.INITIAL, s).promptHints())
                .containsExactly("The user is back after a long absence (3 days); you noticed.");
    }

    @Test
    void a_reply_carries_the_rule_pushes_and_the_evaluated_ghost_decision() {
        ActionPlan plan = decide(new PdeEvent.UserMessage("ok"), AffinityState.INITIAL, signals(3));
        assertThat(plan.action().wireName()).isEqualTo("reply");
        assertThat(plan.pushes()).isEqualTo(AffinityDelta.of(Axis.PATIENCE, -0.02));
        assertThat(plan.ghost()).isNotNull();
        assertThat(plan.ghost().ghost()).isFalse();
        assertThat(plan.ghost().reason()).contains("fewer than 10");
    }

    @Test
    void ghosting_switched_off_always_replies() {
        PersonaDecisionEngine off = new PersonaDecisionEngine(affinity, GhostPolicy.DEFAULTS.disabled(), GiftCatalog.DEFAULT);
        ActionPlan plan = off.decide(new PdeInput(new PdeEvent.UserMessage("hm"), GHOSTLY, persona(), signals(50)));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Reply());
    }

    @ParameterizedTest(name = "warmth {0}, intrigue {1}, tension {2} -> {3}")
    @CsvSource({
            "0.39, 0.5, 0.60, COLD",
            "0.40, 0.5, 0.60, NEUTRAL",
            "0.39, 0.5, 0.59, NEUTRAL",
            "0.60, 0.7, 0.10, EXCITED",
            "0.60, 0.69, 0.10, WARM",
            "0.59, 0.9, 0.10, NEUTRAL",
            "0.90, 0.9, 0.90, EXCITED",
            "0.30, 0.5, 0.10, NEUTRAL",
    })
    void a_reply_style_is_derived_from_affinity(double warmth, double intrigue, double tension, ReplyStyle style) {
        AffinityState s = state(warmth, 0.2, intrigue, 0, 0.9, tension);
        assertThat(PersonaDecisionEngine.styleFor(s)).isEqualTo(style);
        assertThat(decide(new PdeEvent.UserMessage("hello there"), s, signals(2)).style()).isEqualTo(style);
    }

    @Test
    void a_proactive_trigger_reaches_out_without_pushes_and_never_ghosts() {
        ActionPlan plan = decide(new PdeEvent.ProactiveTrigger("quiet for two days", null), FRIENDLY, signals(50));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.TRIGGER));
        assertThat(plan.action().wireName()).isEqualTo("proactive");
        assertThat(plan.pushes()).isEqualTo(AffinityDelta.ZERO);
        assertThat(plan.ghost()).isNull();
        assertThat(plan.style()).isEqualTo(PersonaDecisionEngine.styleFor(FRIENDLY));
        assertThat(plan.promptHints()).containsExactly("You reach out to the user first (quiet for two days); keep it light.");
        assertThat(decide(new PdeEvent.ProactiveTrigger(null, " "), FRIENDLY, signals(0)).promptHints())
                .containsExactly("You reach out to the user first; keep it light.");
    }

    @Test
    void a_proactive_trigger_asks_about_the_open_thread() {
        ActionPlan plan = decide(new PdeEvent.ProactiveTrigger(null, "job interview on Friday"), FRIENDLY, signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.OPEN_THREAD));
        assertThat(plan.promptHints()).containsExactly(
                "You reach out to the user first; keep it light. Ask how this went: job interview on Friday");
    }

    @ParameterizedTest
    @CsvSource({
            "0.60, 0.60, 0.50", // tension too high
            "0.10, 0.24, 0.50", // patience too low
            "0.10, 0.60, 0.29", // intrigue too low
    })
    void a_proactive_trigger_stays_quiet_on_high_tension_low_patience_or_low_intrigue(double tension, double patience,
                                                                                     double intrigue) {
        ActionPlan plan = decide(new PdeEvent.ProactiveTrigger("quiet for a day", "job interview"),
                state(0.6, 0.4, intrigue, 0.2, patience, tension), signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Quiet());
        assertThat(decide(new PdeEvent.ProactiveTrigger(null, null), GHOSTLY, signals(5)).action())
                .isEqualTo(new PlannedAction.Quiet());
    }

    private static final AffinityState FRIENDLY = state(0.6, 0.4, 0.5, 0.2, 0.6, 0.1);

    private static PdeEvent.AppOpen appOpen(Duration sinceSpokeFirst, String thread, String memory) {
        return new PdeEvent.AppOpen(Optional.ofNullable(sinceSpokeFirst), thread, memory);
    }

    @Test
    void an_app_open_with_nothing_to_reference_greets_without_pushes() {
        ActionPlan plan = decide(appOpen(null, null, " "), FRIENDLY, signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.GREETING));
        assertThat(plan.pushes()).isEqualTo(AffinityDelta.ZERO);
        assertThat(plan.style()).isEqualTo(ReplyStyle.WARM);
        assertThat(plan.promptHints()).containsExactly(PersonaDecisionEngine.HINT_APP_OPEN);
    }

    @Test
    void an_app_open_references_the_open_thread_before_a_memory() {
        ActionPlan plan = decide(appOpen(Duration.ofHours(7), "job interview on Friday", "likes jazz"), FRIENDLY, signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.OPEN_THREAD));
        assertThat(plan.promptHints()).containsExactly(
                "The user just opened the app; write first and ask about this: job interview on Friday");
    }

    @Test
    void an_app_open_without_an_open_thread_references_the_recent_memory() {
        ActionPlan plan = decide(appOpen(null, null, "likes jazz"), FRIENDLY, signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.MEMORY));
        assertThat(plan.promptHints()).containsExactly(
                "The user just opened the app; write first and bring up what you remember: likes jazz");
    }

    @Test
    void an_app_open_stays_quiet_when_patience_is_low() {
        ActionPlan plan = decide(appOpen(null, "job interview", null), state(0.6, 0.4, 0.5, 0.2, 0.24, 0.1), signals(5));
        assertThat(plan.action()).isEqualTo(new PlannedAction.Quiet());
        assertThat(plan.action().wireName()).isEqualTo("quiet");
        assertThat(plan.pushes()).isEqualTo(AffinityDelta.ZERO);
        assertThat(plan.promptHints()).isEmpty();
    }

    @Test
    void an_app_open_stays_quiet_when_warmth_is_low() {
        assertThat(decide(appOpen(null, null, null), GHOSTLY, signals(50)).action()).isEqualTo(new PlannedAction.Quiet());
        assertThat(decide(appOpen(null, null, null), state(0.2, 0.4, 0.5, 0.2, 0.6, 0.1), signals(5)).action())
                .isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.GREETING));
    }

    @Test
    void an_app_open_stays_quiet_within_six_hours_of_the_persona_speaking_first() {
        assertThat(decide(appOpen(Duration.ofHours(6).minusSeconds(1), null, null), FRIENDLY, signals(5)).action())
                .isEqualTo(new PlannedAction.Quiet());
        assertThat(decide(appOpen(Duration.ofHours(6), null, null), FRIENDLY, signals(5)).action())
                .isEqualTo(new PlannedAction.Proactive(PlannedAction.Opener.GREETING));
    }

    @Test
    void events_and_inputs_reject_missing_parts() {
        assertThatThrownBy(() -> new PdeEvent.UserMessage(null)).hasMessageContaining("text");
        assertThatThrownBy(() -> new PdeEvent.Gift(null)).hasMessageContaining("gift");
        assertThatThrownBy(() -> new PdeInput(appOpen(null, null, null), null, persona(), signals(1)))
                .hasMessageContaining("affinity");
        assertThatThrownBy(() -> new TurnSignals(-1, Optional.empty(), 0, 0, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TurnSignals(1, Optional.empty(), 2, 1, Optional.empty()))
                .hasMessageContaining("streak <= total");
        assertThat(new TurnSignals(1, null, 0, 0, null).sinceLastGhost()).isEmpty();
    }
}
