package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.port.AffinityStore;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.port.EngineStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The AffinityStore contract, run against every store. */
abstract class AffinityStoreContract {
    abstract EngineStores stores();

    private Fixtures.UserWorld a;
    private Fixtures.UserWorld b;

    @BeforeEach
    void setUp() {
        a = Fixtures.world(stores(), "Aff");
        b = Fixtures.world(stores(), "Aff");
    }

    /** Adds 0.01 warmth and one event row. */
    private static AffinityTransition warmer(AffinityRecord r) {
        AffinityState before = r.state();
        AffinityState after = AffinityState.of(x -> x == Axis.WARMTH ? before.warmth() + 0.01 : before.get(x));
        return new AffinityTransition(r.withState(after, r.updatedAt().plusSeconds(1)),
                List.of(new AffinityEvent(AffinityEventType.MESSAGE, AffinityDelta.of(Axis.WARMTH, 0.05), before, after,
                        "long message", r.updatedAt().plusSeconds(1), null)));
    }

    @Test
    void a_relationship_that_never_changed_has_no_record() {
        assertThat(stores().affinity().load(a.user(), a.instance().id())).isEmpty();
    }

    @Test
    void update_starts_from_the_initial_record_and_saves_state_and_events() {
        AffinityRecord saved = stores().affinity().update(a.user(), a.instance().id(), T0, null, AffinityStoreContract::warmer).record();
        assertThat(saved.state().warmth()).isEqualTo(AffinityState.INITIAL.warmth() + 0.01);
        assertThat(stores().affinity().load(a.user(), a.instance().id())).contains(saved);
        List<AffinityEvent> events = stores().affinity().events(a.user(), a.instance().id(), 10);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(AffinityEventType.MESSAGE);
        assertThat(events.get(0).pushes().warmth()).isEqualTo(0.05);
        assertThat(events.get(0).before()).isEqualTo(AffinityState.INITIAL);
        assertThat(events.get(0).after()).isEqualTo(saved.state());
        assertThat(events.get(0).reason()).isEqualTo("long message");
    }

    /** Adds 0.01 warmth with an event carrying {@code key}. */
    private static AffinityTransition warmerOnce(AffinityRecord r, EventKey key) {
        AffinityTransition t = warmer(r);
        AffinityEvent e = t.events().get(0);
        return new AffinityTransition(t.next(), List.of(new AffinityEvent(e.type(), e.pushes(), e.before(), e.after(),
                e.reason(), e.at(), key)));
    }

    @Test
    void a_change_with_a_key_already_applied_writes_nothing_and_returns_the_stored_record() {
        EventKey key = EventKey.of("message", "m-1");
        AffinityStore.Update first = stores().affinity().update(a.user(), a.instance().id(), T0, key, r -> warmerOnce(r, key));
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        AffinityStore.Update again = stores().affinity().update(a.user(), a.instance().id(), T0.plusSeconds(60), key, r -> {
            calls.incrementAndGet();
            return warmerOnce(r, key);
        });
        assertThat(first.applied()).isTrue();
        assertThat(again.applied()).isFalse();
        assertThat(calls).hasValue(0);
        assertThat(again.record()).isEqualTo(first.record());
        assertThat(again.record().state().warmth()).isEqualTo(AffinityState.INITIAL.warmth() + 0.01);
        List<AffinityEvent> events = stores().affinity().events(a.user(), a.instance().id(), 10);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).key()).isEqualTo(key);
    }

    @Test
    void the_same_key_on_another_instance_or_user_is_a_different_event() {
        EventKey key = EventKey.of("message", "m-1");
        stores().affinity().update(a.user(), a.instance().id(), T0, key, r -> warmerOnce(r, key));
        AffinityStore.Update other = stores().affinity().update(b.user(), b.instance().id(), T0, key, r -> warmerOnce(r, key));
        assertThat(other.applied()).isTrue();
        assertThat(stores().affinity().events(b.user(), b.instance().id(), 10)).hasSize(1);
    }

    @Test
    void concurrent_changes_with_one_key_apply_once() throws Exception {
        EventKey key = EventKey.of("message", "m-race");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AffinityStore.Update>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> stores().affinity().update(a.user(), a.instance().id(), T0, key,
                        r -> warmerOnce(r, key))));
            }
            int applied = 0;
            for (Future<AffinityStore.Update> f : futures) if (f.get().applied()) applied++;
            assertThat(applied).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores().affinity().load(a.user(), a.instance().id()).orElseThrow().state().warmth())
                .isEqualTo(AffinityState.INITIAL.warmth() + 0.01);
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 100)).hasSize(1);
    }

    @Test
    void ghost_counters_are_stored() {
        AffinityRecord saved = stores().affinity().update(a.user(), a.instance().id(), T0, null,
                r -> new AffinityTransition(r.withGhost(T0.plusSeconds(3)).withGhost(T0.plusSeconds(4)), List.of())).record();
        AffinityRecord loaded = stores().affinity().load(a.user(), a.instance().id()).orElseThrow();
        assertThat(loaded).isEqualTo(saved);
        assertThat(loaded.ghostStreak()).isEqualTo(2);
        assertThat(loaded.lastGhostAt()).isEqualTo(T0.plusSeconds(4));
    }

    @Test
    void events_are_newest_first_and_limited() {
        for (int i = 0; i < 5; i++) stores().affinity().update(a.user(), a.instance().id(), T0, null, AffinityStoreContract::warmer).record();
        List<AffinityEvent> events = stores().affinity().events(a.user(), a.instance().id(), 3);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).after().warmth()).isGreaterThan(events.get(1).after().warmth());
    }

    @Test
    void user_b_can_neither_read_nor_update_user_a_affinity() {
        AffinityRecord saved = stores().affinity().update(a.user(), a.instance().id(), T0, null, AffinityStoreContract::warmer).record();
        assertThat(stores().affinity().load(b.user(), a.instance().id())).isEmpty();
        assertThat(stores().affinity().events(b.user(), a.instance().id(), 10)).isEmpty();
        assertThatThrownBy(() -> stores().affinity().update(b.user(), a.instance().id(), T0, null, AffinityStoreContract::warmer))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(stores().affinity().load(a.user(), a.instance().id())).contains(saved);
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 10)).hasSize(1);
    }

    @Test
    void parallel_updates_on_one_instance_keep_every_update() throws Exception {
        int updates = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<AffinityRecord>> futures = new ArrayList<>();
            for (int i = 0; i < updates; i++) {
                futures.add(pool.submit(() -> stores().affinity().update(a.user(), a.instance().id(), T0, null,
                        AffinityStoreContract::warmer).record()));
            }
            for (Future<AffinityRecord> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        AffinityRecord end = stores().affinity().load(a.user(), a.instance().id()).orElseThrow();
        assertThat(end.state().warmth()).isCloseTo(AffinityState.INITIAL.warmth() + updates * 0.01,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 1000)).hasSize(updates);
    }
}
