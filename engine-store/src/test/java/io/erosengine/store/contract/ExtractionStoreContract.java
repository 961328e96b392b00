package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.TurnStore;
import io.erosengine.core.port.ExtractionStore.ExtractionCommit;
import io.erosengine.core.port.ExtractionStore.HeldJob;
import io.erosengine.core.port.ExtractionStore.PendingExchange;
import io.erosengine.core.port.Job;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ExtractionStore contract, run against every store. */
abstract class ExtractionStoreContract {
    abstract EngineStores stores();

    private Fixtures.UserWorld w;

    @BeforeEach
    void setUp() { w = Fixtures.world(stores(), "Mira-" + java.util.UUID.randomUUID()); }

    private ChatMessage said(String text, int second) {
        return stores().conversations().append(NewMessage.fromUser(w.user(), w.session().id(), MessageRole.USER, text,
                T0.plusSeconds(second), null)).message();
    }

    private ChatMessage answered(ChatMessage to, String text) {
        NewMessage reply = new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, text,
                to.sentAt().plusMillis(500), null, to.id(), false, "m", null, null);
        return stores().turns().commit(w.user(), w.instance().id(), to.id(), reply.sentAt(),
                stored -> Optional.of(new TurnStore.Outcome.Reply(reply, List.of(), null, null, List.of()))).reply().orElseThrow();
    }

    private void ghost(ChatMessage message) {
        stores().turns().commit(w.user(), w.instance().id(), message.id(), message.sentAt(), stored -> Optional.of(
                new TurnStore.Outcome.Ghost(new AffinityTransition(stored.withGhost(message.sentAt()), List.of()), null, List.of())));
    }

    private ExtractionCommit commit(List<MessageId> exchanges, List<NewMemory> memories, UserInsights insights) {
        return new ExtractionCommit(w.user(), exchanges, Optional.empty(), memories, insights);
    }

    private NewMemory fact(String content, long seed) {
        return Fixtures.memory(MemoryScope.profile(w.user()), content, Fixtures.unit(seed));
    }

    @Test
    void pending_lists_answered_and_ghosted_exchanges_oldest_first_but_not_one_still_waiting_for_its_reply() {
        ChatMessage first = said("I adopted a cat", 1);
        ChatMessage reply = answered(first, "What is its name?");
        ChatMessage ghosted = said("hello??", 2);
        ghost(ghosted);
        said("still typing the answer to this one", 3);

        List<PendingExchange> pending = stores().extractions().pending(w.user(), w.instance().id(), 10);

        assertThat(pending).extracting(e -> e.message().id()).containsExactly(first.id(), ghosted.id());
        assertThat(pending.get(0).reply()).contains(reply);
        assertThat(pending.get(1).reply()).isEmpty();
        assertThat(stores().extractions().pending(w.user(), w.instance().id(), 1)).extracting(e -> e.message().id())
                .containsExactly(first.id());
    }

    @Test
    void a_commit_marks_its_exchanges_and_stores_memories_and_insights_together() {
        ChatMessage m = said("I live in Lisbon and I teach maths", 1);
        answered(m, "A teacher in Lisbon!");
        UserInsights insights = new UserInsights("Lisbon", "teacher", List.of(), List.of(), null, null, null, null);

        assertThat(stores().extractions().commit(commit(List.of(m.id()), List.of(fact("The user lives in Lisbon.", 1)), insights),
                0.9, T0.plusSeconds(5))).isTrue();

        assertThat(stores().extractions().extracted(w.user(), m.id())).isTrue();
        assertThat(stores().extractions().pending(w.user(), w.instance().id(), 10)).isEmpty();
        assertThat(stores().memories().list(w.user(), MemoryFilter.all(10))).extracting(MemoryItem::content)
                .containsExactly("The user lives in Lisbon.");
        assertThat(stores().insights().load(w.user()).city()).isEqualTo("Lisbon");
    }

    @Test
    void a_second_commit_of_an_extracted_exchange_writes_nothing() {
        ChatMessage m1 = said("one", 1);
        answered(m1, "ok");
        ChatMessage m2 = said("two", 2);
        answered(m2, "ok");
        assertThat(stores().extractions().commit(commit(List.of(m1.id()), List.of(fact("The user said one.", 1)),
                UserInsights.EMPTY), 0.9, T0)).isTrue();

        boolean again = stores().extractions().commit(commit(List.of(m1.id(), m2.id()), List.of(fact("The user counts.", 2)),
                new UserInsights("Porto", null, List.of(), List.of(), null, null, null, null)), 0.9, T0);

        assertThat(again).isFalse();
        assertThat(stores().extractions().extracted(w.user(), m2.id())).isFalse();
        assertThat(stores().memories().list(w.user(), MemoryFilter.all(10))).extracting(MemoryItem::content)
                .containsExactly("The user said one.");
        assertThat(stores().insights().load(w.user())).isEqualTo(UserInsights.EMPTY);
    }

    @Test
    void a_commit_that_fails_midway_rolls_back_the_marks_and_the_memories_before_the_failure() {
        ChatMessage m = said("I run marathons", 1);
        answered(m, "Impressive");
        NewMemory good = fact("The user runs marathons.", 3);
        NewMemory wrongDimension = Fixtures.memory(MemoryScope.profile(w.user()), "The user is fast.", new float[] {1f, 0f});

        assertThatThrownBy(() -> stores().extractions().commit(commit(List.of(m.id()), List.of(good, wrongDimension),
                UserInsights.EMPTY), 0.9, T0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(stores().extractions().extracted(w.user(), m.id())).isFalse();
        assertThat(stores().memories().list(w.user(), MemoryFilter.all(10))).isEmpty();
    }

    @Test
    void a_commit_guarded_by_its_job_completes_it_and_one_that_lost_its_job_writes_nothing() {
        stores().jobs().enqueue(new JobRequest("session_consolidation", w.user(), "{}", "cons:" + w.session().id(), T0));
        Job job = stores().jobs().claim("w1", 1, Duration.ofSeconds(30), 8, T0).get(0);

        ExtractionCommit lost = new ExtractionCommit(w.user(), List.of(), Optional.of(new HeldJob(job.id(), "w0")),
                List.of(fact("The user likes tea.", 4)), UserInsights.EMPTY);
        assertThat(stores().extractions().commit(lost, 0.9, T0)).isFalse();
        assertThat(stores().memories().list(w.user(), MemoryFilter.all(10))).isEmpty();

        ExtractionCommit held = new ExtractionCommit(w.user(), List.of(), Optional.of(new HeldJob(job.id(), "w1")),
                List.of(fact("The user likes tea.", 4)), UserInsights.EMPTY);
        assertThat(stores().extractions().commit(held, 0.9, T0.plusSeconds(1))).isTrue();
        assertThat(stores().jobs().find(job.id()).orElseThrow().status()).isEqualTo(Job.JobStatus.DONE);
        assertThat(stores().extractions().commit(held, 0.9, T0.plusSeconds(2))).isFalse();
        assertThat(stores().memories().list(w.user(), MemoryFilter.all(10))).hasSize(1);
    }
}
