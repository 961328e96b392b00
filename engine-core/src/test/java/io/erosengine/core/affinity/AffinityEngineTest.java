package io.erosengine.core.affinity;

import static io.erosengine.core.Fixtures.INSTANCE;
import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;
import static io.erosengine.core.Fixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AffinityEngineTest {
    private static final double EPS = 1e-9;
    private final AffinityEngine engine = new AffinityEngine(AffinityPolicy.DEFAULTS);

    @Test
    void a_decay_too_small_to_see_is_stored_with_the_next_change_without_a_row_of_its_own() {
        AffinityEngine engine = new AffinityEngine(AffinityPolicy.DEFAULTS);
        AffinityRecord stored = AffinityRecord.initial(USER, INSTANCE, NOW.minus(Duration.ofMinutes(10)));
        AffinityEngine.Decayed decayed = engine.decay(stored, NOW);
        assertThat(decayed.event()).isEmpty();
        assertThat(decayed.record().state().intrigue()).isLessThan(AffinityState.INITIAL.intrigue()); // still decayed
        assertThat(decayed.record().updatedAt()).isEqualTo(NOW);
        assertThat(engine.decay(AffinityRecord.initial(USER, INSTANCE, NOW.minus(Duration.ofDays(1))), NOW).event()).isPresent();
    }

    @Test
    void apply_decays_first_then_steps_and_writes_both_events_with_the_key() {
        AffinityEngine engine = new AffinityEngine(AffinityPolicy.DEFAULTS);
        AffinityRecord stored = AffinityRecord.initial(USER, INSTANCE, NOW.minus(Duration.ofDays(2)));
        EventKey key = EventKey.of("message", "m1");
        AffinityDelta pushes = new AffinityDelta(0, 0, 0.02, 0, 0.02, 0);
        AffinityTransition t = engine.apply(stored,
                new AffinityChange(AffinityEventType.MESSAGE, pushes, "rules", key, StreakEffect.RESET), 0.2, NOW);
        assertThat(t.events()).extracting(AffinityEvent::type).containsExactly(AffinityEventType.DECAY, AffinityEventType.MESSAGE);
        AffinityState decayed = engine.decay(stored, NOW).record().state();
        assertThat(t.events().get(1).before()).isEqualTo(decayed);
        assertThat(t.events().get(1).after()).isEqualTo(engine.step(decayed, pushes, 0.2));
        assertThat(t.events().get(1).key()).isEqualTo(key);
        assertThat(t.events().get(0).key()).isNull();
        assertThat(t.next().state()).isEqualTo(engine.step(decayed, pushes, 0.2));
        assertThat(t.next().updatedAt()).isEqualTo(NOW);
    }

    @Test
    void apply_counts_a_ghost_resets_the_streak_on_a_reply_and_keeps_it_for_the_judge() {
        AffinityEngine engine = new AffinityEngine(AffinityPolicy.DEFAULTS);
        AffinityRecord stored = AffinityRecord.initial(USER, INSTANCE, NOW).withGhost(NOW);
        AffinityChange ghost = new AffinityChange(AffinityEventType.GHOST, AffinityPolicy.DEFAULTS.ghostPushes(), "ghost",
                null, StreakEffect.GHOST);
        AffinityRecord ghosted = engine.apply(stored, ghost, 0.2, NOW.plusSeconds(10)).next();
        assertThat(ghosted.ghostStreak()).isEqualTo(2);
        assertThat(ghosted.totalGhosts()).isEqualTo(2);
        assertThat(ghosted.lastGhostAt()).isEqualTo(NOW.plusSeconds(10));
        AffinityChange judge = new AffinityChange(AffinityEventType.JUDGE, AffinityDelta.ZERO, "", null, StreakEffect.KEEP);
        assertThat(engine.apply(ghosted, judge, 0.2, NOW.plusSeconds(20)).next().ghostStreak()).isEqualTo(2);
        AffinityChange reply = new AffinityChange(AffinityEventType.MESSAGE, AffinityDelta.ZERO, "", null, StreakEffect.RESET);
        AffinityRecord replied = engine.apply(ghosted, reply, 0.2, NOW.plusSeconds(30)).next();
        assertThat(replied.ghostStreak()).isZero();
        assertThat(replied.totalGhosts()).isEqualTo(2);
    }

    @Test
    void a_change_cannot_be_a_decay_and_the_demo_alpha_comes_from_the_policy() {
        assertThatThrownBy(() -> new AffinityChange(AffinityEventType.DECAY, AffinityDelta.ZERO, "", null, StreakEffect.KEEP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(AffinityPolicy.DEFAULTS.alpha(true)).isEqualTo(0.7);
        assertThat(AffinityPolicy.DEFAULTS.alpha(false)).isEqualTo(0.2);
    }

    @Test
    void initial_state_matches_the_documented_values() {
        assertThat(AffinityState.INITIAL).isEqualTo(state(0.30, 0.20, 0.50, 0.00, 0.50, 0.10));
    }

    @Test
    void default_policy_holds_the_documented_numbers() {
        AffinityPolicy p = AffinityPolicy.DEFAULTS;
        assertThat(p.alpha()).isEqualTo(0.2);
        assertThat(p.demoAlpha()).isEqualTo(0.7);
        assertThat(p.longMessageChars()).isEqualTo(30);
        assertThat(p.shortMessageChars()).isEqualTo(3);
        assertThat(p.staleAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(p.ghostPushes()).isEqualTo(new AffinityDelta(0, 0, 0, 0, -0.05, 0.05));
        assertThat(p.decayPerDay()).isEqualTo(new AffinityDelta(0, 0, -0.01, 0, 0.005, -0.005));
        assertThat(p.judgeMin()).isEqualTo(-0.6);
        assertThat(p.judgeMax()).isEqualTo(0.4);
    }

    @ParameterizedTest(name = "{0}: v={1} d={2} alpha={3} -> {4}")
    @CsvSource({
            "WARMTH,   0.50,  0.02, 0.2, 0.504",
            "INTRIGUE, 0.95,  0.20, 0.2, 0.96",
            "PATIENCE, 0.02, -0.10, 0.2, 0.016",
            "TENSION,  0.50,  0.10, 0.7, 0.57",
            "TRUST,    0.30,  0.00, 0.2, 0.30",
            "INTIMACY, 1.00,  0.40, 1.0, 1.00",
            "WARMTH,   0.40, -0.60, 1.0, 0.00",
            "TENSION,  0.00, -0.60, 0.2, 0.00",
    })
    void step_moves_each_axis_by_the_ema_toward_the_clamped_target(Axis axis, double v, double d, double alpha,
                                                                    double expected) {
        AffinityState before = AffinityState.of(a -> a == axis ? v : 0.5);
        AffinityState after = engine.step(before, AffinityDelta.of(axis, d), alpha);
        assertThat(after.get(axis)).isCloseTo(expected, within(EPS));
        for (Axis other : Axis.values()) if (other != axis) assertThat(after.get(other)).isEqualTo(0.5);
    }

    @ParameterizedTest(name = "alpha {0} is rejected")
    @CsvSource({"0", "-0.1", "1.01", "NaN"})
    void step_rejects_an_alpha_outside_zero_to_one(double alpha) {
        assertThatThrownBy(() -> engine.step(AffinityState.INITIAL, AffinityDelta.ZERO, alpha))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alpha");
    }

    static Stream<Arguments> appraisals() {
        return Stream.of(
                Arguments.of("30 chars is long", "x".repeat(30), null, 0.02, 0.02, 0.0),
                Arguments.of("29 chars is neither", "x".repeat(29), null, 0.0, 0.0, 0.0),
                Arguments.of("4 chars is neither", "hey!", null, 0.0, 0.0, 0.0),
                Arguments.of("3 chars is short", "hey", null, 0.0, -0.02, 0.0),
                Arguments.of("empty is short", "", null, 0.0, -0.02, 0.0),
                Arguments.of("surrounding blanks do not count", "  ok \n", null, 0.0, -0.02, 0.0),
                Arguments.of("three emoji are three chars", "\uD83D\uDE00".repeat(3), null, 0.0, -0.02, 0.0),
                Arguments.of("previous message 24 h ago is not stale", "hello there", Duration.ofHours(24), 0.0, 0.0, 0.0),
                Arguments.of("previous message 24 h 1 s ago is stale", "hello there",
                        Duration.ofHours(24).plusSeconds(1), 0.0, -0.05, 0.03),
                Arguments.of("short and stale add up", "hi", Duration.ofDays(3), 0.0, -0.07, 0.03),
                Arguments.of("long and stale add up", "x".repeat(40), Duration.ofDays(2), 0.02, -0.03, 0.03));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("appraisals")
    void appraisal_rules_give_the_documented_pushes(String name, String message, Duration sincePrevious,
                                                    double intrigue, double patience, double tension) {
        AffinityDelta d = engine.appraiseMessage(message, Optional.ofNullable(sincePrevious));
        assertThat(d.intrigue()).isCloseTo(intrigue, within(EPS));
        assertThat(d.patience()).isCloseTo(patience, within(EPS));
        assertThat(d.tension()).isCloseTo(tension, within(EPS));
        assertThat(d.warmth()).isZero();
        assertThat(d.trust()).isZero();
        assertThat(d.intimacy()).isZero();
    }

    @ParameterizedTest(name = "after {0}: intrigue {1}, patience {2}, tension {3}")
    @CsvSource({
            "PT24H,  0.49,  0.505,  0.095",
            "PT12H,  0.495, 0.5025, 0.0975",
            "PT240H, 0.40,  0.55,   0.05",
            "PT6H,   0.4975, 0.50125, 0.09875",
            "PT2400H, 0.0,  1.0,    0.0",
    })
    void decay_drifts_per_day_elapsed_with_fractional_days_and_clamps(Duration elapsed, double intrigue,
                                                                     double patience, double tension) {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW);
        Instant later = NOW.plus(elapsed);
        AffinityEngine.Decayed decayed = engine.decay(record, later);
        AffinityState s = decayed.record().state();
        assertThat(s.intrigue()).isCloseTo(intrigue, within(EPS));
        assertThat(s.patience()).isCloseTo(patience, within(EPS));
        assertThat(s.tension()).isCloseTo(tension, within(EPS));
        assertThat(s.warmth()).isEqualTo(0.30);
        assertThat(s.trust()).isEqualTo(0.20);
        assertThat(s.intimacy()).isEqualTo(0.0);
    }

    @Test
    void decay_returns_the_record_to_save_and_its_event() {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW).withGhost(NOW);
        Instant later = NOW.plus(Duration.ofDays(2));
        AffinityEngine.Decayed decayed = engine.decay(record, later);

        assertThat(decayed.record().updatedAt()).isEqualTo(later);
        assertThat(decayed.record().ghostStreak()).isEqualTo(1);
        assertThat(decayed.event()).hasValueSatisfying(e -> {
            assertThat(e.type()).isEqualTo(AffinityEventType.DECAY);
            assertThat(e.before()).isEqualTo(AffinityState.INITIAL);
            assertThat(e.after()).isEqualTo(decayed.record().state());
            assertThat(e.at()).isEqualTo(later);
            assertThat(e.pushes().intrigue()).isCloseTo(-0.02, within(EPS));
            assertThat(e.pushes().warmth()).isZero();
            assertThat(e.reason()).contains("2.00 days");
        });
    }

    @Test
    void decay_is_never_forgiven_nor_counted_twice_once_the_returned_record_is_saved() {
        AffinityRecord saved = engine.decay(AffinityRecord.initial(USER, INSTANCE, NOW), NOW.plus(Duration.ofDays(1))).record();
        AffinityEngine.Decayed again = engine.decay(saved, NOW.plus(Duration.ofDays(1)));
        assertThat(again.record()).isEqualTo(saved);
        assertThat(again.event()).isEmpty();

        AffinityState stepwise = engine.decay(saved, NOW.plus(Duration.ofDays(2))).record().state();
        AffinityState atOnce = engine.decay(AffinityRecord.initial(USER, INSTANCE, NOW), NOW.plus(Duration.ofDays(2))).record().state();
        for (Axis a : Axis.values()) assertThat(stepwise.get(a)).isCloseTo(atOnce.get(a), within(EPS));
    }

    @Test
    void decay_without_elapsed_time_or_with_clock_skew_changes_nothing() {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW);
        assertThat(engine.decay(record, NOW)).isEqualTo(new AffinityEngine.Decayed(record, Optional.empty()));
        assertThat(engine.decay(record, NOW.minusSeconds(60))).isEqualTo(new AffinityEngine.Decayed(record, Optional.empty()));
    }

    @Test
    void decay_at_the_bounds_writes_no_event_but_moves_updated_at() {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW).withState(state(0.3, 0.2, 0, 0, 1, 0), NOW);
        AffinityEngine.Decayed decayed = engine.decay(record, NOW.plus(Duration.ofDays(3)));
        assertThat(decayed.event()).isEmpty();
        assertThat(decayed.record().state()).isEqualTo(record.state());
        assertThat(decayed.record().updatedAt()).isEqualTo(NOW.plus(Duration.ofDays(3)));
    }

    static Stream<Arguments> gifts() {
        AffinityDelta rose = new AffinityDelta(0.05, 0, 0.02, 0.03, 0, 0);
        return Stream.of(
                Arguments.of("rose at its reference value", new GiftEvent("rose", null, 2, null, null), rose),
                Arguments.of("rose at half its value", new GiftEvent("rose", null, 1, null, null), rose.scaled(0.5)),
                Arguments.of("rose claimed at twice its value is worth its catalog value",
                        new GiftEvent("rose", null, 4, null, null), rose),
                Arguments.of("value 0 counts as the reference value", new GiftEvent("rose", null, 0, null, null), rose),
                Arguments.of("jewelry claimed at five times its value is worth its catalog value",
                        new GiftEvent("jewelry", null, 100, null, null), new AffinityDelta(0.12, 0.03, 0.04, 0.08, 0, 0.02)),
                Arguments.of("an unknown id gets the small default push",
                        new GiftEvent("spaceship", null, 1000, null, null), AffinityEngine.UNKNOWN_GIFT_PUSHES),
                Arguments.of("a label-only gift gets the small default push",
                        new GiftEvent(null, "a poem", 5, null, null), AffinityEngine.UNKNOWN_GIFT_PUSHES),
                Arguments.of("trusted pushes replace the catalog and are capped",
                        new GiftEvent("rose", null, 2, new AffinityDelta(0.5, 0.1, 0, 0, 0, -0.9), null),
                        new AffinityDelta(0.3, 0.1, 0, 0, 0, -0.3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gifts")
    void gift_pushes_follow_the_catalog_scaled_by_value_or_the_trusted_pushes_capped(String name, GiftEvent gift,
                                                                                   AffinityDelta expected) {
        AffinityDelta d = engine.giftPushes(gift, GiftCatalog.DEFAULT);
        for (Axis a : Axis.values()) assertThat(d.get(a)).as(a.wireName()).isCloseTo(expected.get(a), within(EPS));
    }

    @Test
    void default_gift_catalog_holds_the_usual_gifts() {
        assertThat(GiftCatalog.DEFAULT.entries().keySet())
                .contains("rose", "coffee", "chocolate", "flowers", "teddy_bear", "jewelry");
        assertThat(GiftCatalog.DEFAULT.find("rose")).hasValueSatisfying(e -> assertThat(e.label()).isEqualTo("a red rose"));
        assertThat(GiftCatalog.DEFAULT.find(null)).isEmpty();
    }

    @Test
    void gift_catalog_rejects_mismatched_keys_duplicates_and_bad_reference_values() {
        GiftCatalog.Entry rose = GiftCatalog.DEFAULT.find("rose").orElseThrow();
        assertThatThrownBy(() -> new GiftCatalog(Map.of("tulip", rose))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GiftCatalog.of(List.of(rose, rose))).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new GiftCatalog.Entry("x", "x", 0, AffinityDelta.ZERO)).hasMessageContaining("reference value");
    }

    @Test
    void judge_pushes_are_clamped_to_the_judge_range() {
        AffinityDelta raw = new AffinityDelta(0.9, -0.9, 0.1, 0, 0.4, -0.6);
        assertThat(engine.judgePushes(raw)).isEqualTo(new AffinityDelta(0.4, -0.6, 0.1, 0, 0.4, -0.6));
    }

    @ParameterizedTest(name = "{6}")
    @CsvSource({
            "0.70, 0.00, 0.00, 0.40, 0.00, 0.30, ROMANTIC",
            "0.69, 0.00, 0.00, 0.40, 0.00, 0.30, STRANGER",
            "0.70, 0.00, 0.00, 0.39, 0.00, 0.30, STRANGER",
            "0.70, 0.60, 0.50, 0.00, 0.50, 0.19, FRIEND",
            "0.70, 0.60, 0.50, 0.00, 0.50, 0.20, STRANGER",
            "0.70, 0.59, 0.50, 0.00, 0.50, 0.10, STRANGER",
            "0.39, 0.20, 0.50, 0.00, 0.50, 0.60, FRENEMY",
            "0.40, 0.20, 0.50, 0.00, 0.50, 0.60, STRANGER",
            "0.20, 0.20, 0.49, 0.00, 0.50, 0.60, STRANGER",
            "0.20, 0.20, 0.70, 0.10, 0.50, 0.60, FRENEMY",
            "0.50, 0.20, 0.60, 0.39, 0.50, 0.40, SLOW_BURN",
            "0.50, 0.20, 0.60, 0.40, 0.50, 0.40, STRANGER",
            "0.50, 0.20, 0.60, 0.39, 0.50, 0.39, STRANGER",
            "0.30, 0.20, 0.50, 0.00, 0.50, 0.10, STRANGER",
            "0.90, 0.90, 0.90, 0.90, 0.90, 0.90, ROMANTIC",
    })
    void label_is_the_first_matching_rule(double w, double tr, double i, double im, double p, double te,
                                          RelationshipLabel expected) {
        assertThat(AffinityEngine.label(state(w, tr, i, im, p, te))).isEqualTo(expected);
    }

    static Stream<Arguments> moods() {
        return Stream.of(
                Arguments.of(AffinityState.INITIAL, List.of(AffinityEngine.MOOD_EVEN)),
                Arguments.of(state(0.61, 0.2, 0.5, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_WARM)),
                Arguments.of(state(0.60, 0.2, 0.5, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_EVEN)),
                Arguments.of(state(0.24, 0.2, 0.5, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_RESERVED)),
                Arguments.of(state(0.3, 0.61, 0.5, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_TRUSTING)),
                Arguments.of(state(0.3, 0.14, 0.5, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_WARY)),
                Arguments.of(state(0.3, 0.2, 0.71, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_CURIOUS)),
                Arguments.of(state(0.3, 0.2, 0.29, 0, 0.5, 0.1), List.of(AffinityEngine.MOOD_BORED)),
                Arguments.of(state(0.3, 0.2, 0.5, 0.51, 0.5, 0.1), List.of(AffinityEngine.MOOD_CLOSE)),
                Arguments.of(state(0.3, 0.2, 0.5, 0, 0.29, 0.1), List.of(AffinityEngine.MOOD_IMPATIENT)),
                Arguments.of(state(0.3, 0.2, 0.5, 0, 0.30, 0.1), List.of(AffinityEngine.MOOD_EVEN)),
                Arguments.of(state(0.3, 0.2, 0.5, 0, 0.5, 0.51), List.of(AffinityEngine.MOOD_TENSE)),
                Arguments.of(state(0.3, 0.2, 0.5, 0, 0.5, 0.50), List.of(AffinityEngine.MOOD_EVEN)),
                Arguments.of(state(0.9, 0.9, 0.9, 0.9, 0.1, 0.9), List.of(AffinityEngine.MOOD_WARM,
                        AffinityEngine.MOOD_TRUSTING, AffinityEngine.MOOD_CURIOUS, AffinityEngine.MOOD_CLOSE,
                        AffinityEngine.MOOD_IMPATIENT, AffinityEngine.MOOD_TENSE)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("moods")
    void mood_directives_come_from_thresholds_and_never_show_numbers(AffinityState s, List<String> expected) {
        List<String> lines = AffinityEngine.moodDirectives(s);
        assertThat(lines).containsExactlyElementsOf(expected);
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContainPattern("[0-9]"));
    }

    static Stream<Arguments> invalidPolicies() {
        AffinityPolicy d = AffinityPolicy.DEFAULTS;
        return Stream.of(
                Arguments.of("alpha", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(0, d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("demo_alpha", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), 1.5, d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("long_message_chars", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), 3, d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("short_message_chars", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), -1, d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("stale_after", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), Duration.ZERO, d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("ghost_pushes", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), null, d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), d.judgeMax())),
                Arguments.of("gift_cap_per_axis", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), Double.NaN, d.judgeMin(), d.judgeMax())),
                Arguments.of("judge_min", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), 0.1, d.judgeMax())),
                Arguments.of("judge_max", (Supplier<AffinityPolicy>) () -> new AffinityPolicy(d.alpha(), d.demoAlpha(), d.longMessageChars(), d.longMessagePushes(), d.shortMessageChars(), d.shortMessagePushes(), d.staleAfter(), d.stalePushes(), d.ghostPushes(), d.decayPerDay(), d.giftCapPerAxis(), d.judgeMin(), -0.1)));
    }

    @ParameterizedTest(name = "invalid {0}")
    @MethodSource("invalidPolicies")
    void policy_rejects_an_invalid_field_naming_it(String field, Supplier<AffinityPolicy> build) {
        assertThatThrownBy(build::get).hasMessageContaining(field);
    }

    @Test
    void records_reject_out_of_range_values() {
        assertThatThrownBy(() -> state(1.01, 0, 0, 0, 0, 0)).hasMessageContaining("warmth");
        assertThatThrownBy(() -> state(0, 0, 0, 0, 0, Double.NaN)).hasMessageContaining("tension");
        assertThatThrownBy(() -> new AffinityDelta(0, Double.POSITIVE_INFINITY, 0, 0, 0, 0)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new GiftEvent("rose", null, -1, null, null)).hasMessageContaining("value");
        assertThatThrownBy(() -> new GiftEvent(" ", "", 1, null, null)).hasMessageContaining("gift_id or a label");
        assertThatThrownBy(() -> new AffinityRecord(USER, INSTANCE, AffinityState.INITIAL, 2, 1, null, NOW))
                .hasMessageContaining("streak");
    }
}
