package io.erosengine.store.contract;

import io.erosengine.core.model.MemoryId;
import io.erosengine.core.memory.MemoryThread;
import static io.erosengine.store.contract.Fixtures.MODEL;
import static io.erosengine.store.contract.Fixtures.T0;
import static io.erosengine.store.contract.Fixtures.memory;
import static io.erosengine.store.contract.Fixtures.near;
import static io.erosengine.store.contract.Fixtures.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.HybridMatch;
import io.erosengine.core.memory.HybridQuery;
import io.erosengine.core.memory.KeywordLookup;
import io.erosengine.core.memory.Keywords;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryEdit;
import io.erosengine.core.memory.MemoryFilter;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.memory.MemoryLayer;
import io.erosengine.core.memory.MemoryMatch;
import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.MergeKind;
import io.erosengine.core.memory.MergeOutcome;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.memory.ScoredMemory;
import io.erosengine.core.model.MessageId;
import io.erosengine.core.port.EngineStores;
import io.erosengine.core.port.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MemoryStore contract, run against every store. */
abstract class MemoryStoreContract {
    abstract EngineStores stores();

    private MemoryStore memories;
    private Fixtures.UserWorld a;
    private Fixtures.UserWorld b;
    private MemoryScope aProfile;
    private MemoryScope aRelationship;

    @BeforeEach
    void setUp() {
        memories = stores().memories();
        a = Fixtures.world(stores(), "Mia");
        b = Fixtures.world(stores(), "Mia");
        aProfile = MemoryScope.profile(a.user());
        aRelationship = MemoryScope.relationship(a.user(), a.instance().id());
    }

    private MergeOutcome insert(MemoryScope scope, String content, float[] embedding) {
        return memories.mergeOrInsert(memory(scope, content, embedding), 0.90, T0);
    }

    @Test
    void a_new_memory_is_inserted_with_every_column() {
        MessageId source = MessageId.random();
        NewMemory m = new NewMemory(aRelationship, a.session().id(), List.of(source),
                new MemoryCandidate(MemoryCategory.IN_JOKE, "The penguin joke", 7, Attribution.PERSONA),
                T0.minusSeconds(60), unit(1), MODEL);
        MergeOutcome out = memories.mergeOrInsert(m, 0.90, T0);

        assertThat(out.kind()).isEqualTo(MergeKind.INSERTED);
        MemoryItem item = memories.find(a.user(), out.id()).orElseThrow();
        assertThat(item.userId()).isEqualTo(a.user());
        assertThat(item.instanceId()).isEqualTo(a.instance().id());
        assertThat(item.sessionId()).isEqualTo(a.session().id());
        assertThat(item.sourceMessageIds()).containsExactly(source);
        assertThat(item.content()).isEqualTo("The penguin joke");
        assertThat(item.category()).isEqualTo(MemoryCategory.IN_JOKE);
        assertThat(item.importance()).isEqualTo(7);
        assertThat(item.attributedTo()).isEqualTo(Attribution.PERSONA);
        assertThat(item.embeddingModel()).isEqualTo(MODEL);
        assertThat(item.observedAt()).isEqualTo(T0.minusSeconds(60));
        assertThat(item.createdAt()).isEqualTo(T0);
        assertThat(item.mentionCount()).isEqualTo(1);
        assertThat(item.recallCount()).isZero();
        assertThat(item.pinned()).isFalse();
        assertThat(item.deletedAt()).isNull();
    }

    @Test
    void an_exact_normalized_duplicate_bumps_mention_count_and_adds_the_source() {
        MessageId first = MessageId.random();
        MessageId second = MessageId.random();
        MergeOutcome one = memories.mergeOrInsert(withSources(memory(aProfile, "I love  Pizza!", unit(2)), first), 0.9, T0);
        MergeOutcome two = memories.mergeOrInsert(withSources(memory(aProfile, "i love pizza", unit(3)), second), 0.9,
                T0.plusSeconds(5));

        assertThat(two.kind()).isEqualTo(MergeKind.EXACT_DUPLICATE);
        assertThat(two.id()).isEqualTo(one.id());
        MemoryItem item = memories.find(a.user(), one.id()).orElseThrow();
        assertThat(item.mentionCount()).isEqualTo(2);
        assertThat(item.sourceMessageIds()).containsExactly(first, second);
        assertThat(item.content()).isEqualTo("I love  Pizza!");
        assertThat(memories.list(a.user(), MemoryFilter.all(100))).hasSize(1);
    }

    private static NewMemory withSources(NewMemory m, MessageId... ids) {
        return new NewMemory(m.scope(), m.sessionId(), List.of(ids), m.candidate(), m.observedAt(), m.embedding(),
                m.embeddingModel());
    }

    @Test
    void a_near_duplicate_merges_with_newer_content_and_new_embedding() {
        float[] base = unit(10);
        MergeOutcome one = insert(aProfile, "Works as a nurse", base);
        float[] close = near(base, 11, 0.2);
        MergeOutcome two = memories.mergeOrInsert(memory(aProfile, "Works as a night-shift nurse", close), 0.9,
                T0.plusSeconds(10));

        assertThat(two.kind()).isEqualTo(MergeKind.MERGED);
        assertThat(two.id()).isEqualTo(one.id());
        assertThat(two.similarity()).isGreaterThanOrEqualTo(0.9);
        MemoryItem item = memories.find(a.user(), one.id()).orElseThrow();
        assertThat(item.content()).isEqualTo("Works as a night-shift nurse");
        assertThat(item.mentionCount()).isEqualTo(2);
        assertThat(item.updatedAt()).isEqualTo(T0.plusSeconds(10));
        // the new embedding is stored: searching with it finds the row at similarity ~1
        assertThat(memories.search(aProfile, close, MODEL, 1).get(0).similarity()).isGreaterThan(0.999);
    }

    @Test
    void a_dissimilar_memory_is_inserted_as_a_new_row() {
        insert(aProfile, "Has a cat", unit(20));
        MergeOutcome two = insert(aProfile, "Lives in Lyon", unit(21));
        assertThat(two.kind()).isEqualTo(MergeKind.INSERTED);
        assertThat(memories.list(a.user(), MemoryFilter.all(10))).hasSize(2);
    }

    @Test
    void merging_never_crosses_layers_users_or_embedding_models() {
        float[] v = unit(30);
        insert(aProfile, "Likes tea", v);
        assertThat(insert(aRelationship, "Likes tea", v).kind()).isEqualTo(MergeKind.INSERTED);
        assertThat(insert(MemoryScope.profile(b.user()), "Likes tea", v).kind()).isEqualTo(MergeKind.INSERTED);
        NewMemory otherModel = new NewMemory(aProfile, null, List.of(),
                new MemoryCandidate(MemoryCategory.FACT, "Enjoys tea a lot", 5, Attribution.USER), T0, v, "other-model");
        assertThat(memories.mergeOrInsert(otherModel, 0.9, T0).kind()).isEqualTo(MergeKind.INSERTED);
    }

    @Test
    void search_is_exact_within_the_scope_most_similar_first() {
        float[] q = unit(40);
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            float[] v = near(q, 100 + i, 0.5 + i * 0.1);
            vectors.add(v);
            insert(aRelationship, "memory " + i, v);
        }
        insert(aProfile, "profile row", q);
        insert(MemoryScope.relationship(b.user(), b.instance().id()), "other user's row", q);

        List<MemoryMatch> top = memories.search(aRelationship, q, MODEL, 5);

        assertThat(top).extracting(m -> m.item().content())
                .containsExactly("memory 0", "memory 1", "memory 2", "memory 3", "memory 4");
        assertThat(top).isSortedAccordingTo(Comparator.comparingDouble(MemoryMatch::similarity).reversed());
        assertThat(top.get(0).similarity()).isBetween(0.0, 1.0);
        assertThat(memories.search(aRelationship, q, MODEL, 100)).hasSize(30);
        // the hybrid vector list is the same exact top 5
        List<HybridMatch> hybrid = memories.hybridSearch(new HybridQuery(List.of(aRelationship), q, MODEL, List.of(),
                null, null, 5, 0, 0));
        assertThat(hybrid.stream().sorted(Comparator.comparingInt(HybridMatch::vectorRank)))
                .extracting(m -> m.item().content(), HybridMatch::vectorRank)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("memory 0", 1),
                        org.assertj.core.groups.Tuple.tuple("memory 1", 2), org.assertj.core.groups.Tuple.tuple("memory 2", 3),
                        org.assertj.core.groups.Tuple.tuple("memory 3", 4), org.assertj.core.groups.Tuple.tuple("memory 4", 5));
        assertThat(hybrid.get(0).similarity()).isCloseTo(top.stream().filter(m -> m.item().id().equals(
                hybrid.get(0).item().id())).findFirst().orElseThrow().similarity(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void search_skips_deleted_rows_and_rows_of_another_embedding_model() {
        float[] q = unit(50);
        MergeOutcome deleted = insert(aProfile, "deleted", q);
        memories.softDelete(a.user(), deleted.id(), T0);
        NewMemory other = new NewMemory(aProfile, null, List.of(),
                new MemoryCandidate(MemoryCategory.FACT, "other model", 5, Attribution.USER), T0, q, "other-model");
        memories.mergeOrInsert(other, 0.9, T0);
        insert(aProfile, "live", unit(51));

        assertThat(memories.search(aProfile, q, MODEL, 10)).extracting(m -> m.item().content()).containsExactly("live");
    }

    @Test
    void search_rejects_a_zero_vector() {
        assertThatThrownBy(() -> memories.search(aProfile, new float[Fixtures.DIM], MODEL, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mark_recalled_counts_recalls_of_the_users_rows() {
        MergeOutcome m = insert(aProfile, "Plays guitar", unit(60));
        memories.markRecalled(a.user(), List.of(m.id()), T0.plusSeconds(1));
        memories.markRecalled(a.user(), List.of(m.id()), T0.plusSeconds(2));
        MemoryItem item = memories.find(a.user(), m.id()).orElseThrow();
        assertThat(item.recallCount()).isEqualTo(2);
        assertThat(item.lastRecalledAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(memories.recallStats(a.user()).totalRecalls()).isEqualTo(2);
    }

    @Test
    void list_filters_by_layer_instance_and_deletion_newest_first() {
        MergeOutcome p = memories.mergeOrInsert(memory(aProfile, "profile", unit(70)), 0.9, T0);
        MergeOutcome r = memories.mergeOrInsert(memory(aRelationship, "relationship", unit(71)), 0.9, T0.plusSeconds(1));
        MergeOutcome d = memories.mergeOrInsert(memory(aProfile, "deleted", unit(72)), 0.9, T0.plusSeconds(2));
        memories.softDelete(a.user(), d.id(), T0.plusSeconds(3));

        assertThat(memories.list(a.user(), MemoryFilter.all(10))).extracting(MemoryItem::id).containsExactly(r.id(), p.id());
        assertThat(memories.list(a.user(), new MemoryFilter(null, null, true, 10))).extracting(MemoryItem::id)
                .containsExactly(d.id(), r.id(), p.id());
        assertThat(memories.list(a.user(), new MemoryFilter(MemoryLayer.PROFILE, null, false, 10)))
                .extracting(MemoryItem::id).containsExactly(p.id());
        assertThat(memories.list(a.user(), new MemoryFilter(MemoryLayer.RELATIONSHIP, a.instance().id(), false, 10)))
                .extracting(MemoryItem::id).containsExactly(r.id());
        assertThat(memories.list(a.user(), new MemoryFilter(null, a.instance().id(), false, 10)))
                .extracting(MemoryItem::id).containsExactly(r.id(), p.id());
        assertThat(memories.list(a.user(), MemoryFilter.all(1))).hasSize(1);
    }

    @Test
    void edit_changes_content_with_a_new_embedding_and_pins() {
        MergeOutcome m = insert(aProfile, "Lives in Lyon", unit(80));
        float[] moved = unit(81);
        MemoryItem edited = memories.edit(a.user(), m.id(),
                new MemoryEdit("Lives in Paris", moved, MODEL, MemoryCategory.EVENT, true), T0.plusSeconds(9)).orElseThrow();

        assertThat(edited.content()).isEqualTo("Lives in Paris");
        assertThat(edited.category()).isEqualTo(MemoryCategory.EVENT);
        assertThat(edited.pinned()).isTrue();
        assertThat(edited.updatedAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(memories.search(aProfile, moved, MODEL, 1).get(0).similarity()).isGreaterThan(0.999);
        // exact dedup follows the new content
        assertThat(insert(aProfile, "lives in paris", unit(82)).kind()).isEqualTo(MergeKind.EXACT_DUPLICATE);
    }

    @Test
    void edit_rejects_a_category_of_the_other_layer() {
        MergeOutcome m = insert(aProfile, "Has a sister", unit(90));
        assertThatThrownBy(() -> memories.edit(a.user(), m.id(),
                new MemoryEdit(null, null, null, MemoryCategory.IN_JOKE, null), T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void extracted_from_finds_the_users_live_memories_sourced_from_the_messages() {
        MessageId said = MessageId.random();
        MessageId other = MessageId.random();
        MergeOutcome fact = memories.mergeOrInsert(new NewMemory(aProfile, a.session().id(), List.of(said),
                new MemoryCandidate(MemoryCategory.FACT, "Lives in Lyon", 5, Attribution.USER), T0, unit(110), MODEL),
                0.90, T0);
        MergeOutcome joke = memories.mergeOrInsert(new NewMemory(aRelationship, a.session().id(), List.of(other, said),
                new MemoryCandidate(MemoryCategory.IN_JOKE, "The penguin joke", 5, Attribution.PERSONA), T0, unit(111),
                MODEL), 0.90, T0.plusSeconds(1));
        MergeOutcome hidden = memories.mergeOrInsert(new NewMemory(aProfile, a.session().id(), List.of(said),
                new MemoryCandidate(MemoryCategory.FACT, "Hidden", 5, Attribution.USER), T0, unit(112), MODEL), 0.90, T0);
        memories.softDelete(a.user(), hidden.id(), T0.plusSeconds(2));

        assertThat(memories.extractedFrom(a.user(), List.of(said))).extracting(MemoryItem::id)
                .containsExactlyInAnyOrder(fact.id(), joke.id());
        assertThat(memories.extractedFrom(a.user(), List.of(other))).extracting(MemoryItem::id).containsExactly(joke.id());
        assertThat(memories.extractedFrom(b.user(), List.of(said, other))).isEmpty();
        assertThat(memories.extractedFrom(a.user(), List.of())).isEmpty();
    }

    @Test
    void soft_delete_hides_and_hard_delete_removes() {
        MergeOutcome m = insert(aProfile, "Secret", unit(95));
        assertThat(memories.softDelete(a.user(), m.id(), T0.plusSeconds(1))).isTrue();
        assertThat(memories.find(a.user(), m.id()).orElseThrow().deletedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(memories.edit(a.user(), m.id(), new MemoryEdit(null, null, null, null, true), T0)).isEmpty();
        assertThat(memories.recallStats(a.user()).deleted()).isEqualTo(1);
        assertThat(memories.hardDelete(a.user(), m.id())).isTrue();
        assertThat(memories.find(a.user(), m.id())).isEmpty();
        assertThat(memories.hardDelete(a.user(), m.id())).isFalse();
        assertThat(memories.softDelete(a.user(), m.id(), T0)).isFalse();
    }

    @Test
    void recall_stats_count_each_kind_of_row() {
        MergeOutcome p = insert(aProfile, "one", unit(100));
        insert(aRelationship, "two", unit(101));
        MergeOutcome d = insert(aProfile, "three", unit(102));
        memories.edit(a.user(), p.id(), new MemoryEdit(null, null, null, null, true), T0);
        memories.markRecalled(a.user(), List.of(p.id()), T0);
        memories.softDelete(a.user(), d.id(), T0);
        var stats = memories.recallStats(a.user());
        assertThat(stats.profile()).isEqualTo(1);
        assertThat(stats.relationship()).isEqualTo(1);
        assertThat(stats.live()).isEqualTo(2);
        assertThat(stats.deleted()).isEqualTo(1);
        assertThat(stats.pinned()).isEqualTo(1);
        assertThat(stats.recalled()).isEqualTo(1);
        assertThat(stats.totalRecalls()).isEqualTo(1);
    }

    // ---- isolation: user B can neither read nor change user A's rows, method by method

    @Test
    void user_b_cannot_find_list_or_search_user_a_memories() {
        float[] v = unit(200);
        MergeOutcome m = insert(aProfile, "A's secret", v);
        insert(aRelationship, "A's joke", unit(201));

        assertThat(memories.find(b.user(), m.id())).isEmpty();
        assertThat(memories.list(b.user(), new MemoryFilter(null, a.instance().id(), true, 100))).isEmpty();
        assertThat(memories.search(MemoryScope.profile(b.user()), v, MODEL, 10)).isEmpty();
        assertThat(memories.search(MemoryScope.relationship(b.user(), a.instance().id()), v, MODEL, 10)).isEmpty();
        assertThat(memories.recallStats(b.user()).live()).isZero();
    }

    @Test
    void user_b_cannot_change_or_delete_user_a_memories() {
        MergeOutcome m = insert(aProfile, "A's secret", unit(210));
        MemoryItem before = memories.find(a.user(), m.id()).orElseThrow();

        memories.markRecalled(b.user(), List.of(m.id()), T0.plusSeconds(5));
        assertThat(memories.edit(b.user(), m.id(), new MemoryEdit("hacked", unit(211), MODEL, null, true), T0)).isEmpty();
        assertThat(memories.softDelete(b.user(), m.id(), T0)).isFalse();
        assertThat(memories.hardDelete(b.user(), m.id())).isFalse();

        assertThat(memories.find(a.user(), m.id())).contains(before);
    }

    @Test
    void user_b_merge_never_touches_user_a_rows() {
        float[] v = unit(220);
        MergeOutcome m = insert(aProfile, "Same text", v);
        MergeOutcome bOut = insert(MemoryScope.profile(b.user()), "Same text", v);
        assertThat(bOut.id()).isNotEqualTo(m.id());
        assertThat(memories.find(a.user(), m.id()).orElseThrow().mentionCount()).isEqualTo(1);
    }

    @Test
    void user_b_cannot_write_into_user_a_instance() {
        NewMemory intoA = memory(MemoryScope.relationship(b.user(), a.instance().id()), "sneaky", unit(230));
        assertThatThrownBy(() -> memories.mergeOrInsert(intoA, 0.9, T0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(memories.list(a.user(), MemoryFilter.all(10))).isEmpty();
    }

    // ---- concurrency

    @Test
    void concurrent_merge_or_insert_of_the_same_content_yields_one_row() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            float[] v = unit(300);
            List<Callable<MergeOutcome>> tasks = IntStream.range(0, 16)
                    .<Callable<MergeOutcome>>mapToObj(i -> () -> insert(aProfile, "Has two dogs", v)).toList();
            List<MergeOutcome> outcomes = new ArrayList<>();
            for (Future<MergeOutcome> f : pool.invokeAll(tasks)) outcomes.add(f.get());

            Set<?> ids = outcomes.stream().map(MergeOutcome::id).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.kind() == MergeKind.INSERTED).hasSize(1);
            List<MemoryItem> rows = memories.list(a.user(), MemoryFilter.all(100));
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).mentionCount()).isEqualTo(16);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void concurrent_near_duplicates_in_one_scope_merge_into_one_row() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            float[] base = unit(310);
            List<Callable<MergeOutcome>> tasks = IntStream.range(0, 8).<Callable<MergeOutcome>>mapToObj(i ->
                    () -> insert(aProfile, "variant " + i, near(base, 400 + i, 0.05))).toList();
            for (Future<MergeOutcome> f : pool.invokeAll(tasks)) f.get();
            assertThat(memories.list(a.user(), MemoryFilter.all(100))).hasSize(1);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void a_merge_threshold_outside_minus_one_to_one_is_rejected() {
        assertThatThrownBy(() -> memories.mergeOrInsert(memory(aProfile, "x", unit(1)), 1.5, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Duration.ZERO).isZero();
    }

    // ---- hybrid retrieval: the keyword and time-window lists beside the vector list

    private HybridQuery keywords(List<MemoryScope> scopes, float[] vector, String text, int limit) {
        return new HybridQuery(scopes, vector, vector == null ? null : MODEL, Keywords.queryTerms(text), null, null,
                vector == null ? 0 : limit, limit, 0);
    }

    private static Map<String, HybridMatch> byContent(List<HybridMatch> matches) {
        return matches.stream().collect(Collectors.toMap(m -> m.item().content(), m -> m));
    }

    @Test
    void the_keyword_list_finds_a_name_a_number_and_a_rare_word_that_the_vector_list_misses() {
        float[] q = unit(500);
        for (int i = 0; i < 20; i++) insert(aProfile, "Talked about the weather, day " + i, near(q, 600 + i, 0.6));
        insert(aProfile, "Her sister Zoë lives in Porto", unit(701));
        insert(aProfile, "The locker code is 4417", unit(702));
        insert(aProfile, "Keeps an axolotl in a tank", unit(703));

        List<HybridMatch> found = memories.hybridSearch(
                keywords(List.of(aProfile), q, "Where does Zoë live? What was 4417? Any axolotl news?", 5));

        assertThat(memories.search(aProfile, q, MODEL, 5)).extracting(m -> m.item().content())
                .allMatch(c -> c.startsWith("Talked about the weather"));
        Map<String, HybridMatch> hits = byContent(found);
        for (String c : List.of("Her sister Zoë lives in Porto", "The locker code is 4417", "Keeps an axolotl in a tank")) {
            assertThat(hits.get(c).vectorRank()).as(c).isZero();
            assertThat(hits.get(c).keywordRank()).as(c).isBetween(1, 3);
            assertThat(hits.get(c).keywordScore()).as(c).isPositive();
            assertThat(hits.get(c).similarity()).as(c).isLessThan(0.3);
        }
        assertThat(found).filteredOn(m -> m.vectorRank() > 0).hasSize(5)
                .allMatch(m -> m.keywordRank() == 0 && m.similarity() > 0.8);
    }

    @Test
    void a_query_of_stop_words_only_has_no_keyword_list() {
        insert(aProfile, "What is it that you did there", unit(710));
        assertThat(Keywords.queryTerms("what did you do there?")).isEmpty();
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "what did you do there?", 5))).isEmpty();
    }

    /** A fixture both stores must rank identically: BM25 scores, keyword order, fused order. */
    @Test
    void both_stores_score_and_rank_the_same_fixture_alike() {
        float[] q = unit(800);
        String[] contents = {
                "Went hiking with Will near Lake Annecy",       // 0: two query terms
                "Will hikes every Sunday",                        // 1: two terms, short
                "Planning a long hike in May with her brother",   // 2: one term, long
                "Bought new hiking boots, size 39",               // 3: one term + a number
                "Will said he would call",                        // 4: the name only
                "Loves hiking, hiking and more hiking",           // 5: tf 3
                "Allergic to cats",                               // 6: no term, nearest vector
                "Works night shifts at the hospital",             // 7: no term
        };
        double[] eps = {1.6, 1.4, 1.2, 2.0, 3.0, 2.5, 0.2, 0.7};
        for (int i = 0; i < contents.length; i++) insert(aProfile, contents[i], near(q, 810 + i, eps[i]));

        List<HybridMatch> found = memories.hybridSearch(keywords(List.of(aProfile), q, "Did Will go hiking?", 4));

        List<HybridMatch> byKeyword = found.stream().filter(m -> m.keywordRank() > 0)
                .sorted(Comparator.comparingInt(HybridMatch::keywordRank)).toList();
        assertThat(byKeyword).extracting(m -> m.item().content()).containsExactly(
                "Will hikes every Sunday", "Went hiking with Will near Lake Annecy", "Will said he would call",
                "Loves hiking, hiking and more hiking");
        assertThat(byKeyword).extracting(HybridMatch::keywordScore)
                .containsExactly(KEYWORD_SCORES.get(0), KEYWORD_SCORES.get(1), KEYWORD_SCORES.get(2), KEYWORD_SCORES.get(3));
        assertThat(found.stream().filter(m -> m.vectorRank() > 0).sorted(Comparator.comparingInt(HybridMatch::vectorRank)))
                .extracting(m -> m.item().content()).containsExactly("Allergic to cats",
                        "Works night shifts at the hospital", "Planning a long hike in May with her brother",
                        "Will hikes every Sunday");
        // fused: the nearest row (vector part 1); the best keyword row, last of the vector list (vector
        // part 0); then by the weighted parts: "Went hiking ..." is below the vector list's last
        // similarity, so only its BM25 share counts
        List<ScoredMemory> fused = MemoryPolicy.DEFAULTS.fuse(found, null, 8, T0);
        assertThat(fused).extracting(m -> m.item().content()).containsExactly("Allergic to cats", "Will hikes every Sunday",
                "Works night shifts at the hospital", "Went hiking with Will near Lake Annecy", "Will said he would call",
                "Loves hiking, hiking and more hiking", "Planning a long hike in May with her brother");
        double keywordWeight = 1 - MemoryPolicy.VECTOR_WEIGHT;
        assertThat(fused).extracting(ScoredMemory::relevance).startsWith(MemoryPolicy.VECTOR_WEIGHT, keywordWeight);
        assertThat(fused.get(3).relevance()).isCloseTo(keywordWeight * KEYWORD_SCORES.get(1) / KEYWORD_SCORES.get(0),
                within(1e-12));
    }

    /**
     * The BM25 scores of the fixture above, worked by hand too: 8 docs of 34 lexemes (average 4.25),
     * df(will) 3, df(hik) 5; "Will hikes every Sunday" (4 lexemes) = 0.96775 + 0.50462.
     */
    static final List<Double> KEYWORD_SCORES = List.of(1.472369444, 1.229782259, 1.073643288, 0.783771087);

    @Test
    void an_edit_re_indexes_the_keywords_and_a_soft_delete_drops_them() {
        MergeOutcome m = insert(aProfile, "Lives in Lyon", unit(900));
        insert(aProfile, "Has a cat", unit(901));
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "lyon", 5)))
                .extracting(h -> h.item().id()).containsExactly(m.id());

        memories.edit(a.user(), m.id(), new MemoryEdit("Moved to Marseille", unit(902), MODEL, null, null), T0);
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "lyon", 5))).isEmpty();
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "marseille", 5)))
                .extracting(h -> h.item().id()).containsExactly(m.id());

        memories.softDelete(a.user(), m.id(), T0);
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "marseille", 5))).isEmpty();
    }

    @Test
    void a_merge_re_indexes_the_keywords_with_the_newer_content() {
        float[] base = unit(910);
        MergeOutcome one = insert(aProfile, "Works as a nurse", base);
        MergeOutcome two = insert(aProfile, "Works as a night nurse in Ghent", near(base, 911, 0.1));
        assertThat(two.kind()).isEqualTo(MergeKind.MERGED);
        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "ghent", 5)))
                .extracting(h -> h.item().id()).containsExactly(one.id());
    }

    @Test
    void the_keyword_list_never_crosses_users_or_layers() {
        insert(MemoryScope.profile(b.user()), "B's sister Zoë", unit(920));
        insert(MemoryScope.relationship(b.user(), b.instance().id()), "Zoë joke of B", unit(921));
        insert(aRelationship, "Our Zoë joke", unit(922));

        assertThat(memories.hybridSearch(keywords(List.of(aProfile), null, "zoë", 10))).isEmpty();
        assertThat(memories.hybridSearch(keywords(List.of(MemoryScope.relationship(b.user(), a.instance().id())), null,
                "zoë", 10))).isEmpty();
        assertThat(memories.hybridSearch(keywords(List.of(aProfile, aRelationship), null, "zoë", 10)))
                .extracting(h -> h.item().content()).containsExactly("Our Zoë joke");
    }

    // ---- the keyword lookup rule (KeywordLookup): frequent terms score but do not find

    /** Memories "Common errand n" (n from {@code first}) in the scope, each with its own vector. */
    private void insertCommon(MemoryScope scope, String word, int first, int count) {
        for (int i = first; i < first + count; i++) insert(scope, word + " errand " + (1000 + i), unit(3000 + i));
    }

    private List<HybridMatch> keywordList(MemoryScope scope, String text, int limit) {
        return memories.hybridSearch(keywords(List.of(scope), null, text, limit)).stream()
                .sorted(Comparator.comparingInt(HybridMatch::keywordRank)).toList();
    }

    /** A long memory holding "zebra" once: BM25's length normalization puts it below short frequent-word rows. */
    private static final String LONG_ZEBRA = "Zebra " + IntStream.rangeClosed(1, 80).mapToObj(i -> "q" + i)
            .collect(Collectors.joining(" "));

    @Test
    void a_term_in_a_large_share_of_the_scope_scores_the_rows_found_by_rarer_terms_but_finds_none() {
        int common = (int) KeywordLookup.ALWAYS + 37;
        insertCommon(aProfile, "Common", 0, common);
        insertCommon(aProfile, "Plain", common, common);
        insert(aProfile, "Common zebra sighting", unit(2901));
        insert(aProfile, LONG_ZEBRA, unit(2902));
        assertThat((common + 1) * KeywordLookup.SHARE_DIVISOR).as("common is frequent").isGreaterThan(2L * common + 2);

        // the two zebra rows fill a list of 2: common is not looked up, yet scores the row holding it
        List<HybridMatch> found = keywordList(aProfile, "common zebra", 2);
        assertThat(found).extracting(m -> m.item().content()).containsExactly("Common zebra sighting", LONG_ZEBRA);
        // an exact BM25 list would have had a short "Common errand" row above the long zebra row
        assertThat(keywordList(aProfile, "common", 1).get(0).keywordScore()).isGreaterThan(found.get(1).keywordScore());
        // a list of 3: the zebra rows cannot fill it, so common is looked up too
        assertThat(keywordList(aProfile, "common zebra", 3)).extracting(m -> m.item().content())
                .startsWith("Common zebra sighting").anyMatch(c -> c.startsWith("Common errand"));
        // only frequent terms: the rarest is looked up, the others (rarer ones hold >= 50 rows) only score
        List<HybridMatch> onlyFrequent = keywordList(aProfile, "common errand", 50);
        assertThat(onlyFrequent).hasSize(50).allMatch(m -> m.item().content().startsWith("Common errand"));
    }

    @Test
    void soft_deletes_and_edits_change_the_document_frequencies_that_decide_the_lookup() {
        int common = (int) KeywordLookup.ALWAYS + 6;
        insertCommon(aProfile, "Common", 0, common);
        insertCommon(aProfile, "Plain", common, common);
        insert(aProfile, LONG_ZEBRA, unit(2902));
        assertThat(keywordList(aProfile, "common zebra", 1)).extracting(m -> m.item().content())
                .containsExactly(LONG_ZEBRA);

        List<MemoryItem> commonRows = memories.list(a.user(), MemoryFilter.all(500)).stream()
                .filter(i -> i.content().startsWith("Common")).toList();
        for (int i = 0; i < 6; i++) memories.softDelete(a.user(), commonRows.get(i).id(), T0);
        assertThat(keywordList(aProfile, "common zebra", 1)).as("df(common) = ALWAYS: looked up, a short row first")
                .extracting(m -> m.item().content()).allMatch(c -> c.startsWith("Common errand"));

        MemoryItem plain = memories.list(a.user(), MemoryFilter.all(500)).stream()
                .filter(i -> i.content().startsWith("Plain")).findFirst().orElseThrow();
        memories.edit(a.user(), plain.id(), new MemoryEdit("Common errand again", unit(2903), MODEL, null, null), T0);
        assertThat(keywordList(aProfile, "common zebra", 1)).as("df(common) = ALWAYS + 1: not looked up")
                .extracting(m -> m.item().content()).containsExactly(LONG_ZEBRA);
    }

    @Test
    void the_document_frequencies_of_the_keyword_path_are_those_of_the_searched_scope_only() {
        insert(aProfile, "Common zebra sighting", unit(2901));
        insert(aProfile, "Zebra sighting 4242", unit(2902));
        insert(aProfile, "Common errand 1", unit(2903));
        List<HybridMatch> before = keywordList(aProfile, "common zebra", 10);
        assertThat(before).hasSize(3);

        // other users' and other layers' rows with the same words change neither the scores nor the lookups
        int many = (int) KeywordLookup.ALWAYS * 2;
        insertCommon(MemoryScope.profile(b.user()), "Common", 0, many);
        insertCommon(aRelationship, "Common", many, many);
        List<HybridMatch> after = keywordList(aProfile, "common zebra", 10);
        assertThat(after).extracting(m -> m.item().id()).containsExactlyElementsOf(
                before.stream().map(m -> m.item().id()).toList());
        assertThat(after).extracting(HybridMatch::keywordScore).containsExactlyElementsOf(
                before.stream().map(HybridMatch::keywordScore).toList());
        assertThat(keywordList(MemoryScope.profile(b.user()), "common zebra", 200)).hasSize(many)
                .allMatch(m -> m.item().userId().equals(b.user()));
    }
    @Test
    void one_call_searches_both_layers_each_with_its_own_ranks() {
        float[] q = unit(930);
        insert(aProfile, "Profile: likes ramen", near(q, 931, 0.2));
        insert(aProfile, "Profile: other", near(q, 932, 1.0));
        insert(aRelationship, "Us: the ramen night", near(q, 933, 0.5));

        Map<String, HybridMatch> hits = byContent(memories.hybridSearch(
                keywords(List.of(aProfile, aRelationship), q, "ramen", 1)));

        assertThat(hits).containsOnlyKeys("Profile: likes ramen", "Us: the ramen night");
        assertThat(hits.get("Profile: likes ramen").vectorRank()).isEqualTo(1);
        assertThat(hits.get("Us: the ramen night").vectorRank()).isEqualTo(1);
        assertThat(hits.get("Us: the ramen night").keywordRank()).isEqualTo(1);
        assertThat(hits.get("Us: the ramen night").similarity()).isBetween(0.8, 0.95);
    }

    @Test
    void the_window_list_holds_the_rows_observed_in_the_window_newest_first() {
        for (int days : new int[] {10, 3, 1, 0}) {
            NewMemory m = memory(aProfile, "observed " + days + " days before", unit(940 + days));
            memories.mergeOrInsert(new NewMemory(m.scope(), null, List.of(), m.candidate(),
                    T0.minus(Duration.ofDays(days)), m.embedding(), MODEL), 0.9, T0);
        }
        Instant from = T0.minus(Duration.ofDays(5));
        List<HybridMatch> found = memories.hybridSearch(new HybridQuery(List.of(aProfile), null, null, List.of(),
                from, T0, 0, 0, 10));

        assertThat(found.stream().sorted(Comparator.comparingInt(HybridMatch::windowRank)))
                .extracting(h -> h.item().content(), HybridMatch::windowRank, HybridMatch::similarity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("observed 1 days before", 1, Double.NaN),
                        org.assertj.core.groups.Tuple.tuple("observed 3 days before", 2, Double.NaN));
    }

    private MemoryId thread(MemoryScope scope, MemoryCategory category, String content, long seed, int second) {
        return memories.mergeOrInsert(new NewMemory(scope, null, List.of(), new MemoryCandidate(category, content, 6,
                Attribution.USER), T0, unit(seed), MODEL), 0.90, T0.plusSeconds(second)).id();
    }

    @Test
    void threads_are_the_live_events_and_this_instances_promises_newest_first_until_marked_done() {
        MemoryId interview = thread(aProfile, MemoryCategory.EVENT, "Job interview on Friday", 11, 1);
        MemoryId promise = thread(aRelationship, MemoryCategory.PROMISE, "Will send the playlist", 12, 2);
        thread(aProfile, MemoryCategory.FACT, "Lives in Porto", 13, 3);
        var otherPersona = Fixtures.world(stores(), "Other").instance().personaId();
        thread(MemoryScope.relationship(a.user(), stores().conversations().instanceFor(a.user(), otherPersona, T0).id()),
                MemoryCategory.PROMISE, "a promise to another persona", 14, 4);
        MemoryId hidden = thread(aProfile, MemoryCategory.EVENT, "Dentist on Monday", 15, 5);
        memories.softDelete(a.user(), hidden, T0.plusSeconds(6));

        assertThat(memories.threads(a.user(), a.instance().id(), false, 10)).extracting(t -> t.memory().id())
                .containsExactly(promise, interview);
        MemoryThread done = memories.setThreadStatus(a.user(), interview, MemoryThread.Status.DONE, T0.plusSeconds(7))
                .orElseThrow();
        assertThat(done.status()).isEqualTo(MemoryThread.Status.DONE);
        assertThat(done.doneAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(memories.setThreadStatus(a.user(), interview, MemoryThread.Status.DONE, T0.plusSeconds(9))
                .orElseThrow().doneAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(memories.threads(a.user(), a.instance().id(), false, 10)).extracting(t -> t.memory().id())
                .containsExactly(promise);
        assertThat(memories.threads(a.user(), a.instance().id(), true, 10)).extracting(MemoryThread::status)
                .containsExactly(MemoryThread.Status.OPEN, MemoryThread.Status.DONE);
        assertThat(memories.setThreadStatus(a.user(), interview, MemoryThread.Status.OPEN, T0.plusSeconds(8))
                .orElseThrow().doneAt()).isNull();
        assertThat(memories.threads(a.user(), a.instance().id(), false, 1)).hasSize(1);
    }

    @Test
    void only_the_owners_live_threads_can_be_marked() {
        MemoryId interview = thread(aProfile, MemoryCategory.EVENT, "Job interview on Friday", 11, 1);
        MemoryId fact = thread(aProfile, MemoryCategory.FACT, "Lives in Porto", 13, 2);

        assertThat(memories.setThreadStatus(b.user(), interview, MemoryThread.Status.DONE, T0)).isEmpty();
        assertThat(memories.setThreadStatus(a.user(), fact, MemoryThread.Status.DONE, T0)).isEmpty();
        assertThat(memories.threads(b.user(), a.instance().id(), true, 10)).isEmpty();
        memories.softDelete(a.user(), interview, T0);
        assertThat(memories.setThreadStatus(a.user(), interview, MemoryThread.Status.DONE, T0)).isEmpty();
    }
}
