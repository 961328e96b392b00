package io.erosengine.core.proactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProactivePolicyTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ProactivePolicy P = ProactivePolicy.DEFAULTS;
    /** 15:00 in Berlin (CET, UTC+1). */
    private static final Instant AFTERNOON = Instant.parse("2026-01-10T14:00:00Z");
    private static final Instant SCHEDULED = AFTERNOON.minus(Duration.ofHours(24));

    private static ProactiveSituation at(Instant now) {
        return new ProactiveSituation(now, SCHEDULED, BERLIN, false, Optional.of(SCHEDULED.minusSeconds(60)), 0, 0);
    }

    @Test
    void defaults_hold_the_documented_numbers() {
        assertThat(P.enabled()).isTrue();
        assertThat(P.after()).isEqualTo(Duration.ofHours(24));
        assertThat(P.maxPerDay()).isEqualTo(2);
        assertThat(P.quietHours()).isEqualTo(new QuietHours(22, 8));
        assertThat(P.maxUnanswered()).isEqualTo(2);
    }

    @Test
    void within_every_bound_the_gate_opens() {
        assertThat(P.gate(at(AFTERNOON))).isEqualTo(new ProactiveGate.Open("within every bound"));
    }

    @Test
    void switched_off_skips() {
        assertThat(P.disabled().gate(at(AFTERNOON))).isEqualTo(new ProactiveGate.Skip("proactive messages are switched off"));
    }

    @Test
    void an_opted_out_user_is_skipped() {
        var s = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, true, Optional.empty(), 0, 0);
        assertThat(P.gate(s)).isEqualTo(new ProactiveGate.Skip("the user opted out"));
    }

    @Test
    void a_user_message_after_scheduling_supersedes_the_check() {
        var after = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.of(SCHEDULED.plusSeconds(1)), 0, 0);
        assertThat(P.gate(after)).isInstanceOf(ProactiveGate.Skip.class)
                .extracting(ProactiveGate::reason).asString().startsWith("superseded");
        var scheduling = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.of(SCHEDULED), 0, 0);
        assertThat(P.gate(scheduling)).isInstanceOf(ProactiveGate.Open.class);
        var never = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), 0, 0);
        assertThat(P.gate(never)).isInstanceOf(ProactiveGate.Open.class);
    }

    @Test
    void two_unanswered_in_a_row_stop_it_one_does_not() {
        var one = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), 1, 1);
        var two = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), 0, 2);
        assertThat(P.gate(one)).isInstanceOf(ProactiveGate.Open.class);
        assertThat(P.gate(two)).isEqualTo(new ProactiveGate.Skip("2 proactive messages unanswered in a row (at most 2)"));
    }

    @Test
    void the_daily_cap_skips_once_reached() {
        var below = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), 1, 0);
        var reached = new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), 2, 0);
        assertThat(P.gate(below)).isInstanceOf(ProactiveGate.Open.class);
        assertThat(P.gate(reached)).isEqualTo(new ProactiveGate.Skip("2 proactive messages today (at most 2)"));
        assertThat(new ProactivePolicy(true, Duration.ofHours(1), 0, QuietHours.DEFAULTS, 2).gate(below))
                .isInstanceOf(ProactiveGate.Skip.class);
    }

    @Test
    void the_day_starts_at_local_midnight_of_the_persona_zone() {
        assertThat(ProactivePolicy.dayStart(Instant.parse("2026-01-10T23:30:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-01-10T23:00:00Z"));
        assertThat(ProactivePolicy.dayStart(Instant.parse("2026-01-10T22:30:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-01-09T23:00:00Z"));
    }

    @ParameterizedTest(name = "{0} -> deferred to {1}")
    @CsvSource({
            "2026-01-10T21:00:00Z, 2026-01-11T07:00:00Z", // 22:00 Berlin: the window opens
            "2026-01-10T23:30:00Z, 2026-01-11T07:00:00Z", // 00:30 Berlin, after midnight
            "2026-01-11T06:59:59Z, 2026-01-11T07:00:00Z", // 07:59:59 Berlin
    })
    void quiet_hours_defer_to_their_end_in_the_persona_zone(Instant now, Instant until) {
        assertThat(P.gate(at(now))).isEqualTo(new ProactiveGate.Defer(until, "quiet hours 22-08 in Europe/Berlin"));
        assertThat(P.gate(at(until))).isInstanceOf(ProactiveGate.Open.class);
    }

    @Test
    void quiet_hours_end_on_the_local_clock_across_a_dst_change() {
        // Night of 28-29 March 2026: Berlin moves from UTC+1 to UTC+2 at 02:00 local.
        Instant night = Instant.parse("2026-03-28T23:00:00Z"); // 00:00 CET
        assertThat(QuietHours.DEFAULTS.nextAllowed(night, BERLIN)).isEqualTo(Instant.parse("2026-03-29T06:00:00Z")); // 08:00 CEST
        // A window ending inside the skipped hour moves forward by the gap.
        assertThat(new QuietHours(0, 2).nextAllowed(Instant.parse("2026-03-29T00:30:00Z"), BERLIN))
                .isEqualTo(Instant.parse("2026-03-29T01:00:00Z")); // 03:00 CEST
    }

    @Test
    void quiet_hours_parse_contain_and_print() {
        QuietHours overnight = QuietHours.parse(" 22-08 ");
        assertThat(overnight).isEqualTo(QuietHours.DEFAULTS).hasToString("22-08");
        assertThat(overnight.contains(LocalTime.of(22, 0))).isTrue();
        assertThat(overnight.contains(LocalTime.of(7, 59))).isTrue();
        assertThat(overnight.contains(LocalTime.of(8, 0))).isFalse();
        assertThat(overnight.contains(LocalTime.of(21, 59))).isFalse();
        QuietHours day = QuietHours.parse("1-5");
        assertThat(day.contains(LocalTime.of(1, 0))).isTrue();
        assertThat(day.contains(LocalTime.of(5, 0))).isFalse();
        assertThat(day.contains(LocalTime.of(0, 59))).isFalse();
        QuietHours none = QuietHours.parse("0-0");
        assertThat(none.contains(LocalTime.of(3, 0))).isFalse();
        assertThat(none.nextAllowed(AFTERNOON, BERLIN)).isEqualTo(AFTERNOON);
    }

    @Test
    void invalid_settings_are_rejected() {
        assertThatThrownBy(() -> QuietHours.parse("22:00-08:00")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("22-08");
        assertThatThrownBy(() -> QuietHours.parse("24-08")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProactivePolicy(true, Duration.ZERO, 2, QuietHours.DEFAULTS, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProactivePolicy(true, Duration.ofHours(1), -1, QuietHours.DEFAULTS, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProactivePolicy(true, Duration.ofHours(1), 2, QuietHours.DEFAULTS, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProactiveSituation(AFTERNOON, SCHEDULED, BERLIN, false, Optional.empty(), -1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void in_user_zones_a_user_who_set_a_zone_counts_in_it_and_the_others_as_before() {
        ZoneId auckland = ZoneId.of("Pacific/Auckland"), tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(P.inUserZones().zoneFor(BERLIN, Optional.of(auckland))).isEqualTo(auckland);
        assertThat(P.inUserZones().zoneFor(BERLIN, Optional.empty())).isEqualTo(BERLIN);
        assertThat(P.withZone(tokyo).inUserZones().zoneFor(BERLIN, Optional.empty())).isEqualTo(tokyo);
        assertThat(P.inUserZones().disabled().withAfter(Duration.ofHours(3)).userZoneFirst()).isTrue();
    }

    @Test
    void a_fixed_zone_replaces_the_personas_and_the_limits_count_from_its_midnight() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        assertThat(P.zone()).isEmpty();
        assertThat(P.zoneFor(BERLIN, Optional.of(tokyo))).isEqualTo(BERLIN);
        assertThat(P.withZone(tokyo).zoneFor(BERLIN, Optional.empty())).isEqualTo(tokyo);
        assertThat(P.withZone(tokyo).disabled().zone()).contains(tokyo);
        ProactiveLimits limits = P.limits(AFTERNOON, BERLIN);
        assertThat(limits).isEqualTo(new ProactiveLimits(Instant.parse("2026-01-09T23:00:00Z"), 2, 2));
        assertThat(P.limits(AFTERNOON, tokyo).dayStart()).isEqualTo(Instant.parse("2026-01-09T15:00:00Z"));
    }

    @Test
    void the_limits_refuse_at_their_bounds_unanswered_first() {
        ProactiveLimits limits = new ProactiveLimits(AFTERNOON, 2, 2);
        assertThat(limits.refusal(1, 1)).isEmpty();
        assertThat(limits.refusal(2, 1)).contains("2 proactive messages today (at most 2)");
        assertThat(limits.refusal(5, 2)).contains("2 proactive messages unanswered in a row (at most 2)");
        assertThat(new ProactiveLimits(AFTERNOON, 0, 1).capRefusal(0)).isPresent();
        assertThatThrownBy(() -> new ProactiveLimits(AFTERNOON, 101, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProactiveLimits(AFTERNOON, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
