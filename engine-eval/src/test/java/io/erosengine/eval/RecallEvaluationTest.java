package io.erosengine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.MemoryStore;
import io.erosengine.eval.Dataset.Category;
import io.erosengine.eval.Dataset.Conversation;
import io.erosengine.eval.Dataset.Question;
import io.erosengine.eval.Dataset.Session;
import io.erosengine.eval.Dataset.Speaker;
import io.erosengine.eval.Dataset.Turn;
import io.erosengine.eval.EvalRecall.RetrievalPath;
import io.erosengine.eval.RecallEvaluation.Scores;
import io.erosengine.core.embedding.HashingEmbeddingModel;
import io.erosengine.store.memory.InMemoryStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecallEvaluationTest {
    private static final Instant T0 = Instant.parse("2023-05-06T18:00:00Z");
    private static final HashingEmbeddingModel EMBEDDER = new HashingEmbeddingModel(512);

    private static Turn turn(String id, Speaker speaker, int minutes, String text) {
        return new Turn(id, speaker, T0.plusSeconds(60L * minutes), text);
    }

    private static final Dataset TINY = new Dataset("tiny", "three sessions", List.of(new Conversation("u1", "Ana",
            ZoneId.of("Europe/Lisbon"), List.of(
                    new Session("s1", List.of(turn("t1", Speaker.USER, 0, "my dog Miso chewed my slippers"),
                            turn("t2", Speaker.ASSISTANT, 1, "Haha, I love that."))),
                    new Session("s2", List.of(turn("t3", Speaker.USER, 60 * 24 * 9, "bought a gravel bike for 1,250 euros"),
                            turn("t4", Speaker.ASSISTANT, 60 * 24 * 9 + 1, "Haha, I love that."))),
                    new Session("s3", List.of(turn("t5", Speaker.USER, 60 * 24 * 20, "it rained all day and I stayed in")))),
            List.of(new Question("q1", Category.SINGLE_HOP, T0.plusSeconds(86_400L * 30), "what did the bike cost, 1,250 euros?",
                            "1,250 euros", List.of("t3")),
                    new Question("q2", Category.MULTI_HOP, T0.plusSeconds(86_400L * 30), "Miso and the bike", "both",
                            List.of("t1", "t3"))))));

    @Test
    void every_turn_becomes_a_profile_memory_citing_its_turn_and_exact_repeats_merge() {
        MemoryStore store = InMemoryStores.create().memories();
        RecallEvaluation.Loaded loaded = RecallEvaluation.load(TINY, store, EMBEDDER, 0.90);
        assertThat(loaded.turns()).isEqualTo(5);
        assertThat(loaded.memories()).isEqualTo(4);
        List<MemoryItem> items = store.list(RecallEvaluation.user("u1"), MemoryFilter.all(100));
        MemoryItem repeated = items.stream().filter(m -> m.content().equals("Haha, I love that.")).findFirst().orElseThrow();
        assertThat(repeated.sourceMessageIds()).containsExactlyInAnyOrder(RecallEvaluation.message("t2"), RecallEvaluation.message("t4"));
        MemoryItem bike = items.stream().filter(m -> m.content().contains("gravel")).findFirst().orElseThrow();
        assertThat(bike.observedAt()).isEqualTo(T0.plusSeconds(60L * 60 * 24 * 9));
        assertThat(bike.layer().wireName()).isEqualTo("profile");
    }

    @Test
    void loading_twice_replaces_the_users_memories_instead_of_adding_to_them() {
        MemoryStore store = InMemoryStores.create().memories();
        RecallEvaluation.load(TINY, store, EMBEDDER, 0.90);
        assertThat(RecallEvaluation.load(TINY, store, EMBEDDER, 0.90).memories()).isEqualTo(4);
        assertThat(store.list(RecallEvaluation.user("u1"), MemoryFilter.all(100))).hasSize(4);
    }

    @Test
    void recall_at_k_is_the_share_of_evidence_turns_cited_by_the_first_k_memories() {
        MemoryStore store = InMemoryStores.create().memories();
        RecallEvaluation.load(TINY, store, EMBEDDER, 0.90);
        List<MemoryItem> all = store.list(RecallEvaluation.user("u1"), MemoryFilter.all(100));
        MemoryItem miso = all.stream().filter(m -> m.content().contains("Miso")).findFirst().orElseThrow();
        MemoryItem rain = all.stream().filter(m -> m.content().contains("rained")).findFirst().orElseThrow();
        Retriever fixed = new Retriever() {
            @Override
            public String name() { return "fixed"; }

            @Override
            public List<MemoryItem> retrieve(UserId user, String question, Instant askedAt, ZoneId zone,
                                             int limit) {
                return List.of(rain, miso);
            }
        };
        Scores s = RecallEvaluation.score(TINY, fixed);
        assertThat(s.recall(Category.SINGLE_HOP, 1)).isZero();
        assertThat(s.recall(Category.MULTI_HOP, 1)).isZero();
        assertThat(s.recall(Category.MULTI_HOP, 5)).isEqualTo(0.5);
        assertThat(s.recall(null, 5)).isEqualTo(0.25);
        assertThat(s.total()).isEqualTo(2);
    }

    @Test
    void the_keyword_path_finds_a_number_and_the_table_prints_every_path_side_by_side() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<RetrievalPath, Scores> scores = EvalRecall.run(TINY, InMemoryStores.create(), "in-memory store", EMBEDDER,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(scores.get(RetrievalPath.KEYWORD).recall(Category.SINGLE_HOP, 1)).isEqualTo(1.0);
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("tiny: 1 conversations, 5 turns -> 4 memories (in-memory store, hashing-v1-512")
                .contains("| vector             | keyword            | hybrid             | shipped")
                .contains("single-hop      1 |").contains("all             2 |");
    }
}
