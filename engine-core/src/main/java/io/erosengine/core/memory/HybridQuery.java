package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.model.UserId;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One retrieval of a turn, answered by {@link io.erosengine.core.port.MemoryStore#hybridSearch} in
 * one round trip: per scope, three ranked lists of live memories.
 * <ul>
 *   <li>vector: the {@code vectorLimit} rows of {@code embeddingModel} nearest to {@code vector}
 *       (exact, as {@code search});</li>
 *   <li>keyword: the {@code keywordLimit} rows with the highest {@link Bm25} score for
 *       {@code terms} among the rows holding at least one term that {@link KeywordLookup} looks
 *       up (any embedding model); each scored by all the terms it holds;</li>
 *   <li>window: when {@code from}/{@code to} are given, the {@code windowLimit} rows observed in
 *       [from, to), newest first.</li>
 * </ul>
 *
 * @param scopes one or two scopes of one user: at most one profile and one relationship layer
 * @param vector the query embedding, or null for keyword (and window) retrieval only
 * @param embeddingModel the model of {@code vector}; required with it
 * @param terms the query's lexemes ({@link Keywords#queryTerms}), deduplicated; may be empty
 * @param from start of the time window (inclusive), or null for none
 * @param to end of the time window (exclusive); null exactly when {@code from} is
 * @param vectorLimit rows of the vector list per scope, 0..{@value #MAX_LIMIT}
 * @param keywordLimit rows of the keyword list per scope, 0..{@value #MAX_LIMIT}
 * @param windowLimit rows of the window list per scope, 0..{@value #MAX_LIMIT}
 */
public record HybridQuery(List<MemoryScope> scopes, float[] vector, String embeddingModel, List<String> terms,
                          Instant from, Instant to, int vectorLimit, int keywordLimit, int windowLimit) {
    /** The largest limit of one list. */
    public static final int MAX_LIMIT = 200;
    /** The most query terms used; the first ones are kept. */
    public static final int MAX_TERMS = 64;

    /**
     * Validates and copies every field.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public HybridQuery {
        scopes = List.copyOf(Checks.required(scopes, "scopes"));
        if (scopes.isEmpty() || scopes.size() > 2) throw new IllegalArgumentException("one or two scopes, got " + scopes.size());
        if (scopes.size() == 2 && (!scopes.get(0).userId().equals(scopes.get(1).userId())
                || scopes.get(0).layer() == scopes.get(1).layer())) {
            throw new IllegalArgumentException("two scopes must be the profile and one relationship layer of one user");
        }
        if (vector != null) {
            vector = vector.clone();
            Checks.requireText(embeddingModel, "embedding model");
        }
        List<String> unique = List.copyOf(new LinkedHashSet<>(Checks.listOf(terms)));
        for (String t : unique) if (!Keywords.isLexeme(t)) throw new IllegalArgumentException("not a lexeme: " + t);
        terms = unique.size() > MAX_TERMS ? unique.subList(0, MAX_TERMS) : unique;
        if ((from == null) != (to == null)) throw new IllegalArgumentException("a time window needs both from and to");
        if (from != null && !from.isBefore(to)) throw new IllegalArgumentException("from must be before to");
        Checks.requireRange(vectorLimit, 0, MAX_LIMIT, "vector limit");
        Checks.requireRange(keywordLimit, 0, MAX_LIMIT, "keyword limit");
        Checks.requireRange(windowLimit, 0, MAX_LIMIT, "window limit");
        if (vector == null && vectorLimit > 0) throw new IllegalArgumentException("a vector limit needs a query vector");
    }

    /** The user all scopes belong to. */
    public UserId userId() { return scopes.get(0).userId(); }

    /** The profile scope, or null when not searched. */
    public MemoryScope profile() { return scope(MemoryLayer.PROFILE); }

    /** The relationship scope, or null when not searched. */
    public MemoryScope relationship() { return scope(MemoryLayer.RELATIONSHIP); }

    private MemoryScope scope(MemoryLayer layer) {
        return scopes.stream().filter(s -> s.layer() == layer).findFirst().orElse(null);
    }

    /** Whether the vector list is asked for. */
    public boolean usesVector() { return vectorLimit > 0; }

    /** Whether the keyword list is asked for. */
    public boolean usesKeywords() { return keywordLimit > 0 && !terms.isEmpty(); }

    /** Whether the window list is asked for. */
    public boolean usesWindow() { return windowLimit > 0 && from != null; }
}
