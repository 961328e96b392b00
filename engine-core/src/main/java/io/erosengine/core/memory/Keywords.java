package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one text analyzer of the keyword path: both stores index and query with its lexemes, so
 * they match and rank alike (Postgres stores them as a tsvector and never re-parses them).
 *
 * <p>Steps: Unicode NFKC, lower case ({@link Locale#ROOT}); split on every code point that is not
 * a letter, a digit or a combining mark; drop tokens longer than {@value #MAX_LEXEME_LENGTH} code
 * points, single Latin letters ("s" of "sister's") and English stop words; keep every token with a
 * digit as it is ("2023", "7th", "3pm"); stem the rest with the Porter stemmer (words of the
 * letters a to z; others, "café", stay as they are): "hike", "hikes", "hiked", "hiking" all give
 * "hike", "adoption" and "adopted" give "adopt".
 * Names, numbers and rare words come out the same in a memory and in a question, so they match
 * exactly. Scripts written without spaces (Chinese, Japanese) yield one lexeme per run of letters.
 */
public final class Keywords {
    /**
     * The version of this analysis. Stored with each row's lexemes: rows of an older version are
     * re-analyzed (Postgres: at migration), so bump it whenever the output of {@link #analyze} changes.
     * Version 1 had a light stemmer of its own; 2 is Porter's.
     */
    public static final int VERSION = 2;

    /** Longer tokens (hashes, glued URLs) are dropped. */
    public static final int MAX_LEXEME_LENGTH = 64;

    /** Function words of English; "will" and "may" are kept (a name, a month). */
    static final Set<String> STOPWORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from",
            "in", "on", "into", "onto", "over", "under", "up", "out", "off", "as", "than", "then", "so", "too",
            "very", "just", "not", "no", "nor", "is", "are", "was", "were", "be", "been", "being", "am", "do",
            "does", "did", "doing", "done", "have", "has", "had", "having", "can", "could", "would", "should",
            "shall", "might", "must", "i", "me", "my", "mine", "myself", "you", "your", "yours", "yourself", "he",
            "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "we", "us", "our",
            "ours", "they", "them", "their", "theirs", "this", "that", "these", "those", "what", "which", "who",
            "whom", "whose", "when", "where", "why", "how", "there", "here", "any", "some", "all", "each",
            "both", "more", "most", "other", "such", "own", "same", "only", "also", "again", "ll", "re", "ve",
            "don", "didn", "doesn", "isn", "wasn", "aren", "weren", "won", "hasn", "haven", "hadn");

    private Keywords() {}

    /** The lexemes of {@code text} in order, repeats kept (a document). */
    public static List<String> analyze(String text) {
        Checks.required(text, "text");
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isWordChar(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
            if (i > start) {
                String lexeme = lexeme(s.substring(start, i));
                if (lexeme != null) out.add(lexeme);
            } else {
                i += Character.charCount(s.codePointAt(i));
            }
        }
        return out;
    }

    /** The distinct lexemes of {@code text}, first occurrence first (a query). */
    public static List<String> queryTerms(String text) {
        return List.copyOf(new LinkedHashSet<>(analyze(text)));
    }

    /** Whether {@code term} is something {@link #analyze} can produce: word characters only, not too long. */
    public static boolean isLexeme(String term) {
        if (term == null || term.isEmpty() || term.codePointCount(0, term.length()) > MAX_LEXEME_LENGTH) return false;
        return term.codePoints().allMatch(Keywords::isWordChar);
    }

    private static boolean isWordChar(int cp) {
        int type = Character.getType(cp);
        return Character.isLetterOrDigit(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    private static String lexeme(String token) {
        if (token.codePointCount(0, token.length()) > MAX_LEXEME_LENGTH) return null;
        if (token.chars().anyMatch(Character::isDigit)) return token;
        if (token.length() == 1 && token.charAt(0) <= 'z') return null;
        if (STOPWORDS.contains(token)) return null;
        return PorterStemmer.stem(token);
    }
}
