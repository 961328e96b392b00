package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityEvent;
import io.erosengine.core.affinity.AffinityEventType;
import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.affinity.Axis;
import io.erosengine.core.affinity.EventKey;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import io.erosengine.core.port.TurnStore;
import io.erosengine.core.port.TurnStore.Claim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The turn's guards and atomic commit, on every store. */
abstract class TurnStoreContract {
    static final Duration LEASE = Duration.ofMinutes(2);

    abstract EngineStores stores();

    private Fixtures.UserWorld a;
    private Fixtures.UserWorld b;

    @BeforeEach
    void setUp() {
        a = Fixtures.world(stores(), "Turn");
        b = Fixtures.world(stores(), "Turn");
    }

    private TurnStore turns() { return stores().turns(); }

    private TurnStore.TurnStart start(Fixtures.UserWorld w, String text, String clientMsgId, int seconds) {
        return turns().start(NewMessage.fromUser(w.user(), w.session().id(), MessageRole.USER, text, T0.plusSeconds(seconds),
                clientMsgId), 3, LEASE, T0.plusSeconds(seconds));
    }

    private NewMessage reply(Fixtures.UserWorld w, ChatMessage to, String text) {
        return new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, text, to.sentAt().plusSeconds(1), null,
                to.id(), false, "m", null, null);
    }

    /** Adds 0.1 warmth with an event keyed by the message. */
    private static AffinityTransition warmer(AffinityRecord r, EventKey key) {
        AffinityState after = AffinityState.of(x -> x == Axis.WARMTH ? r.state().warmth() + 0.1 : r.state().get(x));
        return new AffinityTransition(r.withState(after, T0).withStreakReset(), List.of(new AffinityEvent(
                AffinityEventType.MESSAGE, AffinityDelta.of(Axis.WARMTH, 0.1), r.state(), after, "rules", T0, key)));
    }

    @Test
    void start_appends_the_message_and_claims_its_turn_once() {
        TurnStore.TurnStart first = start(a, "hello", "c-1", 1);
        assertThat(first.claim()).isEqualTo(Claim.CLAIMED);
        assertThat(first.created()).isTrue();
        assertThat(stores().conversations().findMessage(a.user(), first.message().id())).contains(first.message());
        TurnStore.TurnStart again = start(a, "hello", "c-1", 2);
        assertThat(again.claim()).isEqualTo(Claim.IN_PROGRESS);
        assertThat(again.created()).isFalse();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        turns().release(a.user(), first.message().id());
        assertThat(start(a, "hello", "c-1", 3).claim()).isEqualTo(Claim.CLAIMED);
    }

    @Test
    void a_claim_expires_after_its_lease_so_a_retry_can_take_the_turn_over() {
        TurnStore.TurnStart first = start(a, "hello", "c-1", 0);
        TurnStore.TurnStart later = turns().start(NewMessage.fromUser(a.user(), a.session().id(), MessageRole.USER, "hello",
                T0, "c-1"), 3, LEASE, T0.plus(LEASE).plusSeconds(1));
        assertThat(later.claim()).isEqualTo(Claim.CLAIMED);
        assertThat(later.message().id()).isEqualTo(first.message().id());
    }

    @Test
    void the_per_user_cap_counts_claimed_turns_and_a_refused_new_message_is_not_stored() {
        for (int i = 0; i < 3; i++) assertThat(start(a, "m" + i, "c-" + i, i).claim()).isEqualTo(Claim.CLAIMED);
        TurnStore.TurnStart refused = start(a, "one too many", "c-x", 5);
        assertThat(refused.claim()).isEqualTo(Claim.USER_AT_CAP);
        assertThat(stores().conversations().findByClientMsgId(a.user(), a.session().id(), "c-x")).isEmpty();
        assertThat(start(b, "another user", "c-x", 5).claim()).isEqualTo(Claim.CLAIMED); // per user
        assertThat(stores().conversations().history(a.user(), a.session().id(), 50, null).messages()).hasSize(3);
    }

    @Test
    void a_reply_commit_writes_reply_jobs_affinity_and_recall_marks_together_and_releases_the_claim() {
        var memory = stores().memories().mergeOrInsert(Fixtures.memory(MemoryScope.profile(a.user()), "likes tea",
                Fixtures.unit(1)), 0.9, T0);
        ChatMessage q = start(a, "how are you?", "c-1", 1).message();
        EventKey key = EventKey.of("message", q.id());
        JobRequest job = new JobRequest("memory_extraction", a.user(), "{}", "mem:" + q.id(), T0);
        TurnStore.Committed k = turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(2),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply(a, q, "fine"), List.of(job), warmer(stored, key), key,
                        List.of(memory.id()))));
        assertThat(k.alreadyAnswered()).isFalse();
        assertThat(k.reply().orElseThrow().content()).isEqualTo("fine");
        assertThat(stores().conversations().findReplyTo(a.user(), q.id())).contains(k.reply().orElseThrow());
        assertThat(stores().affinity().load(a.user(), a.instance().id()).orElseThrow().state().warmth())
                .isEqualTo(AffinityState.INITIAL.warmth() + 0.1);
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 10)).extracting(AffinityEvent::key).containsExactly(key);
        assertThat(stores().memories().list(a.user(), MemoryFilter.all(10)).get(0).recallCount()).isEqualTo(1);
        List<Job> claimed = stores().jobs().claim("w", 100, Duration.ofMinutes(1), 8, T0.plusSeconds(5));
        assertThat(claimed).extracting(Job::dedupKey).containsExactly("mem:" + q.id());
        assertThat(start(a, "how are you?", "c-1", 3).claim()).isEqualTo(Claim.ANSWERED);
    }

    @Test
    void a_commit_with_a_bad_job_stores_nothing_of_the_turn() {
        ChatMessage q = start(a, "hi", "c-1", 1).message();
        EventKey key = EventKey.of("message", q.id());
        JobRequest foreign = new JobRequest("memory_extraction", b.user(), "{}", "x:" + q.id(), T0);
        assertThatThrownBy(() -> turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(2),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply(a, q, "hey"), List.of(foreign), warmer(stored, key), key,
                        List.of())))).isInstanceOf(IllegalArgumentException.class);
        assertThat(stores().conversations().findReplyTo(a.user(), q.id())).isEmpty();
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 10)).isEmpty();
    }

    @Test
    void a_second_commit_of_an_answered_message_writes_nothing_and_returns_the_first_reply() {
        ChatMessage q = start(a, "hi", "c-1", 1).message();
        EventKey key = EventKey.of("message", q.id());
        TurnStore.Committed first = turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(2),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply(a, q, "first"), List.of(), warmer(stored, key), key, List.of())));
        TurnStore.Committed second = turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(3),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply(a, q, "second"), List.of(), warmer(stored, key), key, List.of())));
        assertThat(second.alreadyAnswered()).isTrue();
        assertThat(second.reply()).isEqualTo(first.reply());
        assertThat(stores().conversations().history(a.user(), a.session().id(), 50, null).messages())
                .extracting(ChatMessage::content).containsExactly("hi", "first");
        assertThat(stores().affinity().events(a.user(), a.instance().id(), 10)).hasSize(1);
    }

    @Test
    void a_ghost_commit_marks_the_message_stores_its_affinity_and_jobs() {
        ChatMessage q = start(a, "hi", "c-1", 1).message();
        EventKey key = EventKey.of("message", q.id());
        JobRequest job = new JobRequest("memory_extraction", a.user(), "{}", "mem:" + q.id(), T0);
        TurnStore.Committed k = turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(2), stored -> Optional.of(
                new TurnStore.Outcome.Ghost(new AffinityTransition(stored.withGhost(T0), List.of()), key, List.of(job))));
        assertThat(k.ghosted()).isTrue();
        assertThat(k.affinity().ghostStreak()).isEqualTo(1);
        assertThat(stores().conversations().findMessage(a.user(), q.id()).orElseThrow().ghosted()).isTrue();
        assertThat(stores().jobs().claim("w", 100, Duration.ofMinutes(1), 8, T0.plusSeconds(5))).hasSize(1);
        assertThat(start(a, "hi", "c-1", 3).claim()).isEqualTo(Claim.ANSWERED);
    }

    @Test
    void an_empty_decision_stores_nothing_and_keeps_the_claim() {
        ChatMessage q = start(a, "hi", "c-1", 1).message();
        TurnStore.Committed k = turns().commit(a.user(), a.instance().id(), q.id(), T0.plusSeconds(2), stored -> Optional.empty());
        assertThat(k.reply()).isEmpty();
        assertThat(k.ghosted()).isFalse();
        assertThat(start(a, "hi", "c-1", 3).claim()).isEqualTo(Claim.IN_PROGRESS);
    }

    @Test
    void concurrent_starts_of_one_client_msg_id_claim_it_once() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TurnStore.TurnStart>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) futures.add(pool.submit(() -> start(a, "same", "c-race", 1)));
            int claimed = 0;
            for (Future<TurnStore.TurnStart> f : futures) if (f.get().claim() == Claim.CLAIMED) claimed++;
            assertThat(claimed).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stores().conversations().history(a.user(), a.session().id(), 50, null).messages()).hasSize(1);
    }

    @Test
    void user_b_can_neither_claim_into_nor_commit_user_a_messages() {
        ChatMessage q = start(a, "private", "c-1", 1).message();
        assertThatThrownBy(() -> turns().start(NewMessage.fromUser(b.user(), a.session().id(), MessageRole.USER, "x", T0, "c-1"),
                3, LEASE, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> turns().commit(b.user(), b.instance().id(), q.id(), T0, stored -> Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        turns().release(b.user(), q.id());
        assertThat(start(a, "private", "c-1", 2).claim()).isEqualTo(Claim.IN_PROGRESS); // B's release changed nothing
    }
}
