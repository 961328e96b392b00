package io.erosengine.store.contract;

import static io.erosengine.store.contract.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.affinity.AffinityRecord;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.model.ChatMessage;
import io.erosengine.core.model.MessageRole;
import io.erosengine.core.model.UserInsights;
import io.erosengine.core.affinity.AffinityTransition;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.JobRequest;
import io.erosengine.core.port.NewMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The UserDataStore contract, run against every store. */
abstract class UserDataStoreContract {
    abstract EngineStores stores();

    static final List<String> TABLES = List.of("jobs", "user_insights", "companion_memories",
            "companion_affinity_events", "companion_affinity", "app_open_events", "proactive_messages", "user_settings", "chat_messages", "chat_sessions", "persona_instances");

    /** Gives the user one row (or four messages) in every table. */
    private Fixtures.UserWorld populate(String persona) {
        Fixtures.UserWorld w = Fixtures.world(stores(), persona);
        ChatMessage m = stores().conversations().append(NewMessage.fromUser(w.user(), w.session().id(), MessageRole.USER,
                "hello", T0, "c")).message();
        NewMessage reply = new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, "hi", T0, null, m.id(), false, "m",
                null, null);
        stores().turns().commit(w.user(), w.instance().id(), m.id(), T0, stored -> java.util.Optional.of(
                new io.erosengine.core.port.TurnStore.Outcome.Reply(reply, List.of(new JobRequest("t", w.user(), "{}", "k:" + m.id(), T0)),
                        null, null, List.of())));
        stores().affinity().update(w.user(), w.instance().id(), T0, null, r -> new AffinityTransition(r,
                List.of(new io.erosengine.core.affinity.AffinityEvent(io.erosengine.core.affinity.AffinityEventType.MESSAGE,
                        io.erosengine.core.affinity.AffinityDelta.ZERO, r.state(), r.state(), "", T0, null))));
        stores().memories().mergeOrInsert(Fixtures.memory(MemoryScope.profile(w.user()), "likes tea", Fixtures.unit(1)),
                0.9, T0);
        stores().conversations().recordAppOpen(w.user(), w.session().id(), "open", "greeting",
                new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, "you're back", T0, null, null, false,
                        "m", null, null), T0);
        stores().conversations().recordProactive("proactive:" + w.instance().id(),
                new NewMessage(null, w.user(), w.session().id(), MessageRole.ASSISTANT, "how was the trip?", T0, null, null, false,
                        "m", null, null), new io.erosengine.core.proactive.ProactiveLimits(T0, 100, 100));
        stores().conversations().setProactiveEnabled(w.user(), false, T0);
        stores().conversations().setUserTimezone(w.user(), java.time.ZoneId.of("Europe/Lisbon"), T0);
        stores().insights().merge(w.user(), new UserInsights("Lyon", null, List.of(), List.of(), null, null, null, null), T0);
        return w;
    }

    @Test
    void export_returns_every_row_of_the_user_in_every_table_and_nothing_else() {
        Fixtures.UserWorld a = populate("Exp");
        populate("Exp");
        Map<String, List<Map<String, Object>>> export = stores().users().export(a.user());

        assertThat(export).containsOnlyKeys(TABLES);
        assertThat(export.get("chat_messages")).hasSize(4);
        for (String table : TABLES) {
            assertThat(export.get(table)).as(table).isNotEmpty()
                    .allSatisfy(row -> assertThat(row.get("user_id")).as(table).isEqualTo(a.user().toString()));
        }
        Map<String, Object> memory = export.get("companion_memories").get(0);
        assertThat(memory.get("content")).isEqualTo("likes tea");
        assertThat((List<?>) memory.get("embedding")).hasSize(Fixtures.DIM);
        // what the engine derives (keyword index, binary quantization) is not the user's data
        assertThat(memory).doesNotContainKeys("keyword_terms", "keyword_length", "keyword_version");
    }

    @Test
    void delete_user_removes_every_row_with_counts_and_leaves_other_users_alone() {
        Fixtures.UserWorld a = populate("Del");
        Fixtures.UserWorld b = populate("Del");
        Map<String, Integer> counts = stores().users().deleteUser(a.user());

        assertThat(counts).containsOnlyKeys(TABLES);
        assertThat(counts).containsEntry("chat_messages", 4).containsEntry("app_open_events", 1)
                .containsEntry("proactive_messages", 1).containsEntry("user_settings", 1)
                .containsEntry("persona_instances", 1)
                .containsEntry("companion_memories", 1).containsEntry("jobs", 1);
        assertThat(stores().users().export(a.user()).values()).allSatisfy(rows -> assertThat(rows).isEmpty());
        assertThat(stores().users().export(b.user()).values()).allSatisfy(rows -> assertThat(rows).isNotEmpty());
        assertThat(stores().users().deleteUser(a.user()).values()).containsOnly(0);
        AffinityRecord bAffinity = stores().affinity().load(b.user(), b.instance().id()).orElseThrow();
        assertThat(bAffinity.userId()).isEqualTo(b.user());
    }
}
