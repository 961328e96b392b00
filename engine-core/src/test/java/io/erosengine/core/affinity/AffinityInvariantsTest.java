package io.erosengine.core.affinity;

import static io.erosengine.core.Fixtures.INSTANCE;
import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class AffinityInvariantsTest {
    private final AffinityEngine engine = new AffinityEngine(AffinityPolicy.DEFAULTS);

    /** One thing that can happen to a relationship. */
    sealed interface Ev permits Msg, Ghost, Gift, Judge, Decay {}

    record Msg(int chars, long minutesSincePrevious) implements Ev {}

    record Ghost() implements Ev {}

    record Gift(String id, double value, AffinityDelta trusted) implements Ev {}

    record Judge(AffinityDelta pushes) implements Ev {}

    record Decay(long minutes) implements Ev {}

    @Property(tries = 500)
    void axes_stay_in_the_unit_interval_under_any_sequence_of_events(@ForAll("states") AffinityState start,
                                                                     @ForAll("events") List<Ev> events,
                                                                     @ForAll @DoubleRange(min = 0.01, max = 1) double alpha) {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW).withState(start, NOW);
        Instant now = NOW;
        for (Ev ev : events) {
            AffinityDelta pushes;
            if (ev instanceof Msg m) {
                pushes = engine.appraiseMessage("x".repeat(m.chars()), Optional.of(Duration.ofMinutes(m.minutesSincePrevious())));
            } else if (ev instanceof Ghost) {
                pushes = engine.policy().ghostPushes();
            } else if (ev instanceof Gift g) {
                pushes = engine.giftPushes(new GiftEvent(g.id(), "gift", g.value(), g.trusted(), null), GiftCatalog.DEFAULT);
                assertThat(pushes.nonZero().values()).allSatisfy(p -> assertThat(Math.abs(p)).isLessThanOrEqualTo(0.3));
            } else if (ev instanceof Judge j) {
                pushes = engine.judgePushes(j.pushes());
            } else {
                now = now.plus(Duration.ofMinutes(((Decay) ev).minutes()));
                record = engine.decay(record, now).record();
                assertInUnitInterval(record.state());
                continue;
            }
            record = record.withState(engine.step(record.state(), pushes, alpha), now);
            assertInUnitInterval(record.state());
        }
    }

    @Property(tries = 300)
    void one_step_lands_between_the_state_and_its_clamped_target(@ForAll("states") AffinityState s,
                                                                 @ForAll("judgePushes") AffinityDelta d,
                                                                 @ForAll @DoubleRange(min = 0.01, max = 1) double alpha) {
        AffinityState next = engine.step(s, d, alpha);
        for (Axis a : Axis.values()) {
            double target = Math.max(0, Math.min(1, s.get(a) + d.get(a)));
            assertThat(next.get(a)).isBetween(Math.min(s.get(a), target) - 1e-12, Math.max(s.get(a), target) + 1e-12);
        }
    }

    private static void assertInUnitInterval(AffinityState s) {
        for (Axis a : Axis.values()) assertThat(s.get(a)).isBetween(0.0, 1.0);
    }

    @Provide
    Arbitrary<AffinityState> states() {
        Arbitrary<Double> unit = Arbitraries.doubles().between(0, 1).withSpecialValue(0.0).withSpecialValue(1.0);
        return Combinators.combine(unit, unit, unit, unit, unit, unit).as(AffinityState::new);
    }

    @Provide
    Arbitrary<AffinityDelta> judgePushes() {
        Arbitrary<Double> push = Arbitraries.doubles().between(-0.6, 0.4);
        return Combinators.combine(push, push, push, push, push, push).as(AffinityDelta::new);
    }

    @Provide
    Arbitrary<List<Ev>> events() {
        Arbitrary<Double> wild = Arbitraries.doubles().between(-5, 5);
        Arbitrary<AffinityDelta> wildDelta = Combinators.combine(wild, wild, wild, wild, wild, wild).as(AffinityDelta::new);
        Arbitrary<Ev> msg = Combinators.combine(Arbitraries.integers().between(0, 200), Arbitraries.longs().between(0, 10_000))
                .as(Msg::new);
        Arbitrary<Ev> ghost = Arbitraries.just(new Ghost());
        Arbitrary<Ev> gift = Combinators.combine(
                Arbitraries.of("rose", "coffee", "jewelry", "flowers", "unknown"),
                Arbitraries.doubles().between(0, 1000),
                Arbitraries.oneOf(Arbitraries.just((AffinityDelta) null), wildDelta)).as(Gift::new);
        Arbitrary<Ev> judge = judgePushes().map(Judge::new);
        Arbitrary<Ev> decay = Arbitraries.longs().between(0, 200_000).map(Decay::new);
        return Arbitraries.oneOf(msg, ghost, gift, judge, decay).list().ofMaxSize(80);
    }
}
