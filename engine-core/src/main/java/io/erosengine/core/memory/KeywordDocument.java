package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the keyword index holds of one memory: each lexeme's frequency (capped at
 * {@value #MAX_FREQUENCY}, as a Postgres tsvector keeps at most that many positions) and the
 * document length, the sum of those frequencies.
 *
 * @param frequencies lexeme to frequency, in lexeme order
 * @param length the sum of the frequencies
 */
public record KeywordDocument(Map<String, Integer> frequencies, int length) {
    /** The most occurrences of one lexeme counted. */
    public static final int MAX_FREQUENCY = 256;

    /**
     * Validates the frequencies (lexemes, 1..{@value #MAX_FREQUENCY}) and that the length is their sum.
     *
     * @throws IllegalArgumentException naming the first invalid value
     */
    public KeywordDocument {
        Checks.required(frequencies, "frequencies");
        int sum = 0;
        for (var e : frequencies.entrySet()) {
            if (!Keywords.isLexeme(e.getKey())) throw new IllegalArgumentException("not a lexeme: " + e.getKey());
            Checks.requireRange(e.getValue(), 1, MAX_FREQUENCY, "frequency of " + e.getKey());
            sum += e.getValue();
        }
        if (sum != length) throw new IllegalArgumentException("length must be " + sum + ", got " + length);
        frequencies = Collections.unmodifiableSortedMap(new TreeMap<>(frequencies));
    }

    /** The document of a memory's content, through {@link Keywords#analyze}. */
    public static KeywordDocument of(String content) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String lexeme : Keywords.analyze(content)) counts.merge(lexeme, 1, (a, b) -> Math.min(MAX_FREQUENCY, a + b));
        return new KeywordDocument(counts, counts.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** The frequency of {@code lexeme}, 0 when absent. */
    public int frequency(String lexeme) {
        return frequencies.getOrDefault(lexeme, 0);
    }
}
