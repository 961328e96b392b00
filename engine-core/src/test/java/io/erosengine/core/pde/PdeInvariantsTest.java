package io.erosengine.core.pde;

import static io.erosengine.core.Fixtures.INSTANCE;
import static io.erosengine.core.Fixtures.NOW;
import static io.erosengine.core.Fixtures.USER;
import static io.erosengine.core.Fixtures.persona;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEngine;
import io.erosengine.core.affinity.AffinityPolicy;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.GiftCatalog;
import io.erosengine.core.affinity.GiftEvent;
import io.erosengine.core.ghost.GhostPolicy;
import io.erosengine.core.model.GiftPersonality;
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
import net.jqwik.api.statistics.Statistics;

class PdeInvariantsTest {
    private final AffinityEngine affinity = new AffinityEngine(AffinityPolicy.DEFAULTS);
    private final PersonaDecisionEngine pde = new PersonaDecisionEngine(affinity, GhostPolicy.DEFAULTS, GiftCatalog.DEFAULT);

    /** One user turn: message length, minutes since the previous one, whether it opens a new session, the judge's push. */
    record Turn(int chars, long gapMinutes, boolean newSession, AffinityDelta judge) {}

    /**
     * Simulates conversations, feeding each plan back into the counters as the pipeline does (a ghost
     * bumps the streak and records its time, a reply resets the streak), and checks the protections.
     */
    @Property(tries = 400)
    void never_three_ghosts_in_a_row_never_before_message_ten_never_inside_the_cooldown(
            @ForAll("ghostlyStates") AffinityState start, @ForAll("turns") List<Turn> turns) {
        AffinityRecord record = AffinityRecord.initial(USER, INSTANCE, NOW).withState(start, NOW);
        Instant now = NOW;
        Instant previousUserMessage = null;
        int inSession = 0;
        int inARow = 0;
        int ghosts = 0;
        for (Turn turn : turns) {
            now = now.plus(Duration.ofMinutes(turn.gapMinutes()));
            if (turn.newSession()) inSession = 0;
            inSession++;
            record = affinity.decay(record, now).record();
            Instant at = now;
            Optional<Duration> sinceLastGhost = Optional.ofNullable(record.lastGhostAt()).map(t -> Duration.between(t, at));
            TurnSignals signals = new TurnSignals(inSession,
                    Optional.ofNullable(previousUserMessage).map(t -> Duration.between(t, at)),
                    record.ghostStreak(), record.totalGhosts(), sinceLastGhost);
            ActionPlan plan = pde.decide(new PdeInput(new PdeEvent.UserMessage("y".repeat(turn.chars())), record.state(),
                    persona(), signals));
            AffinityRecord stepped = record.withState(affinity.step(record.state(), plan.pushes(), affinity.policy().alpha()), now);
            if (plan.action() instanceof PlannedAction.Ghost) {
                ghosts++;
                inARow++;
                assertThat(inARow).as("ghosts in a row").isLessThanOrEqualTo(2);
                assertThat(inSession).as("user messages in the session").isGreaterThanOrEqualTo(10);
                sinceLastGhost.ifPresent(d -> assertThat(d).as("time since the last ghost").isGreaterThanOrEqualTo(Duration.ofHours(1)));
                record = stepped.withGhost(now);
            } else {
                inARow = 0;
                AffinityState judged = affinity.step(stepped.state(), affinity.judgePushes(turn.judge()), affinity.policy().alpha());
                record = stepped.withState(judged, now).withStreakReset();
            }
            previousUserMessage = now;
        }
        Statistics.label("some ghost happened").collect(ghosts > 0);
        Statistics.label("some ghost happened").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Property(tries = 300)
    void the_same_input_always_gives_the_same_plan(@ForAll("inputs") PdeInput input) {
        PersonaDecisionEngine other = new PersonaDecisionEngine(new AffinityEngine(AffinityPolicy.DEFAULTS),
                GhostPolicy.DEFAULTS, GiftCatalog.DEFAULT);
        ActionPlan first = pde.decide(input);
        assertThat(pde.decide(input)).isEqualTo(first);
        assertThat(other.decide(input)).isEqualTo(first);
    }

    @Provide
    Arbitrary<AffinityState> ghostlyStates() {
        Arbitrary<Double> low = Arbitraries.doubles().between(0, 0.4);
        Arbitrary<Double> any = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(any, any, low, any, low, Arbitraries.doubles().between(0.3, 1)).as(AffinityState::new);
    }

    @Provide
    Arbitrary<List<Turn>> turns() {
        Arbitrary<Double> push = Arbitraries.doubles().between(-0.6, 0.4);
        Arbitrary<AffinityDelta> judge = Combinators.combine(push, push, push, push, push, push).as(AffinityDelta::new);
        Arbitrary<Long> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(0, 90)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 4000)));
        return Combinators.combine(Arbitraries.integers().between(0, 60), gap,
                Arbitraries.of(true, false, false, false, false, false, false, false, false, false, false, false, false),
                judge).as(Turn::new).list().ofMinSize(10).ofMaxSize(60);
    }

    @Provide
    Arbitrary<PdeInput> inputs() {
        Arbitrary<Double> unit = Arbitraries.doubles().between(0, 1);
        Arbitrary<AffinityState> states = Combinators.combine(unit, unit, unit, unit, unit, unit).as(AffinityState::new);
        Arbitrary<Optional<Duration>> durations = Arbitraries.longs().between(0, 100_000)
                .map(m -> Optional.of(Duration.ofMinutes(m))).injectNull(0.3).map(o -> o == null ? Optional.<Duration>empty() : o);
        Arbitrary<Integer> streak = Arbitraries.integers().between(0, 3);
        Arbitrary<TurnSignals> signals = Combinators.combine(Arbitraries.integers().between(0, 40), durations, streak,
                Arbitraries.integers().between(0, 5), durations)
                .as((n, prev, s, extra, ghost) -> new TurnSignals(n, prev, s, s + extra, ghost));
        Arbitrary<PdeEvent> events = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80).map(PdeEvent.UserMessage::new),
                Combinators.combine(Arbitraries.of("rose", "coffee", "jewelry", "comet"), Arbitraries.doubles().between(0, 100))
                        .as((id, v) -> new PdeEvent.Gift(new GiftEvent(id, null, v, null, null))),
                Arbitraries.strings().alpha().ofMaxLength(20).injectNull(0.2).map(r -> new PdeEvent.ProactiveTrigger(r, "the interview")),
                Arbitraries.of("the interview on Friday", "").injectNull(0.3)
                        .map(thread -> new PdeEvent.AppOpen(Optional.empty(), thread, "likes jazz")));
        return Combinators.combine(events, states, Arbitraries.of(GiftPersonality.class), signals)
                .as((e, s, gp, sig) -> new PdeInput(e, s, persona(gp), sig));
    }
}
