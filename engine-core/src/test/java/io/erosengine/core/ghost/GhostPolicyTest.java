package io.erosengine.core.ghost;

import static io.erosengine.core.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.pde.TurnSignals;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GhostPolicyTest {

    @Test
    void defaults_hold_the_documented_numbers() {
        GhostPolicy p = GhostPolicy.DEFAULTS;
        assertThat(p.enabled()).isTrue();
        assertThat(p.minUserMessages()).isEqualTo(10);
        assertThat(p.maxStreak()).isEqualTo(2);
        assertThat(p.cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(p.firstThreshold()).isEqualTo(0.65);
        assertThat(p.repeatThreshold()).isEqualTo(0.85);
    }

    @ParameterizedTest(name = "intrigue {0}, patience {1}, tension {2} -> {3}")
    @CsvSource({
            "0.5, 0.5, 0.1, 0.42",
            "0.0, 0.0, 1.0, 1.0",
            "1.0, 1.0, 0.0, 0.0",
            "0.2, 0.2, 0.5, 0.74",
            "0.1, 0.1, 0.9, 0.90",
            "0.5, 1.0, 0.0, 0.20",
    })
    void score_weights_intrigue_patience_and_tension(double intrigue, double patience, double tension, double expected) {
        assertThat(GhostPolicy.score(state(0.3, 0.2, intrigue, 0, patience, tension))).isCloseTo(expected, within(1e-9));
    }

    @ParameterizedTest(name = "{9}")
    @CsvSource(delimiter = '|', textBlock = """
            false | 20 | 0 | 0 | -1  | 0.0 | 0.0 | 1.0 | false | switched off -> reply                          | switched off
            true  |  9 | 0 | 0 | -1  | 0.0 | 0.0 | 1.0 | false | 9 user messages -> reply                       | fewer than 10
            true  | 10 | 0 | 0 | -1  | 0.0 | 0.0 | 1.0 | true  | 10 user messages, score 1 -> ghost             | > first threshold 0.65
            true  |  9 | 2 | 2 | 30  | 0.0 | 0.0 | 1.0 | false | message count is checked first                 | fewer than 10
            true  | 10 | 2 | 2 | 120 | 0.0 | 0.0 | 1.0 | false | streak 2 -> reply                              | 2 times in a row
            true  | 10 | 2 | 2 | 30  | 0.0 | 0.0 | 1.0 | false | streak is checked before the cooldown          | in a row
            true  | 10 | 1 | 1 | 59  | 0.0 | 0.0 | 1.0 | false | last ghost 59 min ago -> reply                 | within the 1 h cooldown
            true  | 10 | 1 | 1 | 60  | 0.1 | 0.1 | 0.9 | true  | 60 min ago, score 0.90 > 0.85 -> ghost         | > repeat threshold 0.85
            true  | 10 | 0 | 1 | 180 | 0.2 | 0.2 | 0.5 | false | has ghosted, score 0.74 <= 0.85 -> reply       | <= repeat threshold 0.85
            true  | 10 | 0 | 0 | -1  | 0.2 | 0.2 | 0.5 | true  | never ghosted, score 0.74 > 0.65 -> ghost      | > first threshold 0.65
            true  | 30 | 0 | 0 | -1  | 0.5 | 0.5 | 0.1 | false | initial state, score 0.42 -> reply             | <= first threshold 0.65
            """)
    void decision_applies_the_protections_in_order_then_the_threshold(boolean enabled, int messages, int streak, int total,
                                                                    long minutesSinceGhost, double intrigue,
                                                                    double patience, double tension, boolean ghost,
                                                                    String name, String reason) {
        GhostPolicy policy = enabled ? GhostPolicy.DEFAULTS : GhostPolicy.DEFAULTS.disabled();
        TurnSignals signals = new TurnSignals(messages, Optional.empty(), streak, total,
                minutesSinceGhost < 0 ? Optional.empty() : Optional.of(Duration.ofMinutes(minutesSinceGhost)));
        AffinityState s = state(0.3, 0.2, intrigue, 0, patience, tension);
        GhostDecision d = policy.decide(s, signals);
        assertThat(d.ghost()).isEqualTo(ghost);
        assertThat(d.reason()).contains(reason);
        assertThat(d.score()).isEqualTo(GhostPolicy.score(s));
    }

    @Test
    void a_score_equal_to_the_threshold_does_not_ghost() {
        AffinityState s = state(0.3, 0.2, 0.25, 0, 0.25, 0.25);
        double score = GhostPolicy.score(s);
        GhostPolicy atScore = new GhostPolicy(true, 10, 2, Duration.ofHours(1), score, 0.85);
        GhostDecision d = atScore.decide(s, new TurnSignals(10, Optional.empty(), 0, 0, Optional.empty()));
        assertThat(d.ghost()).isFalse();
        assertThat(d.threshold()).isEqualTo(score);
    }

    @Test
    void a_protection_decision_reports_no_threshold() {
        GhostDecision d = GhostPolicy.DEFAULTS.decide(AffinityState.INITIAL, new TurnSignals(1, Optional.empty(), 0, 0, Optional.empty()));
        assertThat(d.threshold()).isNaN();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            min_user_messages | -1 | 2 | 60 | 0.65 | 0.85
            max_streak        | 10 | 0 | 60 | 0.65 | 0.85
            cooldown          | 10 | 2 | -1 | 0.65 | 0.85
            first_threshold   | 10 | 2 | 60 | 1.5  | 0.85
            repeat_threshold  | 10 | 2 | 60 | 0.65 | -0.1
            """)
    void policy_rejects_an_invalid_field_naming_it(String field, int min, int streak, long cooldownMinutes,
                                                   double first, double repeat) {
        assertThatThrownBy(() -> new GhostPolicy(true, min, streak, Duration.ofMinutes(cooldownMinutes), first, repeat))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
    }
}
