package io.erosengine.core.memory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of a query's terms a keyword search looks up to find its candidates, the same rule in both
 * stores. A term in a large share of a scope's memories (a frequent word such as "work" or
 * "weather") would make the search visit thousands of rows whose {@link Bm25} weight for it is
 * near zero, so it is not looked up: the candidates are the memories holding at least one looked-up
 * term, and each candidate is then scored by all the query's terms it holds (frequent ones
 * included). A term is looked up when any of these holds:
 * <ul>
 *   <li>it is in at most {@value #ALWAYS} of the scope's memories (cheap to visit whatever the share);</li>
 *   <li>it is in at most 1/{@value #SHARE_DIVISOR} of the scope's memories;</li>
 *   <li>no query term is in fewer memories (so a query of frequent words still finds its rarest).</li>
 * </ul>
 * The keyword list is therefore exact BM25 except for memories holding only frequent terms, which
 * would score below every memory holding a looked-up term unless fewer than the list's limit hold
 * one. BENCHMARKS.md reports the recall against the exact BM25 list.
 */
public final class KeywordLookup {
    /** A term in at most this many of the scope's memories is always looked up. */
    public static final long ALWAYS = 64;
    /** A term in at most 1/this of the scope's memories is looked up. */
    public static final long SHARE_DIVISOR = 20;

    private KeywordLookup() {}

    /**
     * Whether a term is looked up.
     *
     * @param df the scope's live memories holding the term, >= 1
     * @param docs the scope's live memories
     * @param rarest the least df of the query's terms present in the scope
     */
    public static boolean looksUp(long df, long docs, long rarest) {
        return df <= ALWAYS || df * SHARE_DIVISOR <= docs || df == rarest;
    }

    /**
     * The looked-up terms of a query.
     *
     * @param documentFrequencies the scope's df of each query term present in the scope (absent or
     *                            0 = in no memory)
     * @param docs the scope's live memories
     */
    public static Set<String> lookedUp(Map<String, Long> documentFrequencies, long docs) {
        long rarest = documentFrequencies.values().stream().filter(df -> df > 0).mapToLong(Long::longValue).min()
                .orElse(0);
        return documentFrequencies.entrySet().stream()
                .filter(e -> e.getValue() > 0 && looksUp(e.getValue(), docs, rarest))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }
}
