package io.erosengine.core.memory;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which of a query's terms a keyword search looks up to find its candidates, the same rule in both
 * stores. A term in a large share of a scope's memories (a frequent word such as "work" or
 * "weather") would make the search visit thousands of rows for a near-zero {@link Bm25} weight, so
 * it is not looked up as long as rarer terms already find enough rows: the candidates are the
 * memories holding at least one looked-up term, and each candidate is then scored by all the
 * query's terms it holds (frequent ones included). A term with document frequency df is looked up
 * when any of these holds:
 * <ul>
 *   <li>df <= {@value #ALWAYS} (cheap to visit whatever the share);</li>
 *   <li>df <= the scope's memories / {@value #SHARE_DIVISOR};</li>
 *   <li>the query's rarer terms (smaller df) hold fewer than {@code limit} memories in all (summing
 *       their df), so they may not fill the list; this includes the rarest terms.</li>
 * </ul>
 * The keyword list is therefore exact BM25 except for memories holding only terms that were not
 * looked up, which score low (small idf) unless they are much shorter than the found ones.
 * BENCHMARKS.md reports the recall against the exact BM25 list.
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
     * @param rarer the sum of the df of the query's terms with a smaller df than this one
     * @param limit the rows asked of the keyword list
     */
    public static boolean looksUp(long df, long docs, long rarer, int limit) {
        return df <= ALWAYS || df * SHARE_DIVISOR <= docs || rarer < limit;
    }

    /**
     * The looked-up terms of a query.
     *
     * @param documentFrequencies the scope's df of the query's terms (absent or 0 = in no memory)
     * @param docs the scope's live memories
     * @param limit the rows asked of the keyword list, >= 1
     */
    public static Set<String> lookedUp(Map<String, Long> documentFrequencies, long docs, int limit) {
        return documentFrequencies.entrySet().stream().filter(e -> e.getValue() > 0)
                .filter(e -> looksUp(e.getValue(), docs, rarer(documentFrequencies, e.getValue()), limit))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    private static long rarer(Map<String, Long> documentFrequencies, long df) {
        return documentFrequencies.values().stream().filter(other -> other < df).mapToLong(Long::longValue).sum();
    }
}
