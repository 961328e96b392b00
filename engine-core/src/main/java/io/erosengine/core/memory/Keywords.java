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
 * digit as it is ("2023", "7th", "3pm"); stem the rest with a light English stemmer:
 * <ol>
 *   <li>plurals of 4+ letters (the S-stemmer): "-ies" to "-y" (not after a or e), "-s" removed except
 *       after u or s and in "-aes", "-ees", "-oes", "-ies" (kept);</li>
 *   <li>"-ied" to "-y"; else "-ing" (words of 6+ letters) or "-ed" (5+) removed when a vowel
 *       remains, then a doubled final b, d, g, m, n, p, r or t undoubled ("running" to "run");</li>
 *   <li>a final "e" of a 4+ letter word removed, so "hike", "hikes", "hiked", "hiking" all give
 *       "hik".</li>
 * </ol>
 * Names, numbers and rare words come out the same in a memory and in a question, so they match
 * exactly. Scripts written without spaces (Chinese, Japanese) yield one lexeme per run of letters.
 */
public final class Keywords {
    /**
     * The version of this analysis. Stored with each row's lexemes: rows of an older version are
     * re-analyzed (Postgres: at migration), so bump it whenever the output of {@link #analyze} changes.
     */
    public static final int VERSION = 1;

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
        return stem(token);
    }

    static String stem(String word) {
        String w = plural(word);
        if (w.endsWith("ied") && w.length() >= 4) {
            w = w.substring(0, w.length() - 3) + "y";
        } else if (w.endsWith("ing") && w.length() >= 6 && hasVowel(w, w.length() - 3)) {
            w = undouble(w.substring(0, w.length() - 3));
        } else if (w.endsWith("ed") && w.length() >= 5 && hasVowel(w, w.length() - 2)) {
            w = undouble(w.substring(0, w.length() - 2));
        }
        if (w.endsWith("e") && w.length() >= 4) w = w.substring(0, w.length() - 1);
        return w;
    }

    /** The S-stemmer (as Lucene's EnglishMinimalStemmer). */
    private static String plural(String w) {
        int n = w.length();
        if (n < 4 || w.charAt(n - 1) != 's') return w;
        char before = w.charAt(n - 2);
        if (before == 'u' || before == 's') return w;
        if (before == 'e') {
            if (n > 3 && w.charAt(n - 3) == 'i' && w.charAt(n - 4) != 'a' && w.charAt(n - 4) != 'e') {
                return w.substring(0, n - 3) + "y";
            }
            if ("iaoe".indexOf(w.charAt(n - 3)) >= 0) return w;
        }
        return w.substring(0, n - 1);
    }

    private static boolean hasVowel(String w, int end) {
        for (int i = 0; i < end; i++) if ("aeiouy".indexOf(w.charAt(i)) >= 0) return true;
        return false;
    }

    private static String undouble(String w) {
        int n = w.length();
        if (n >= 4 && w.charAt(n - 1) == w.charAt(n - 2) && "bdgmnprt".indexOf(w.charAt(n - 1)) >= 0) {
            return w.substring(0, n - 1);
        }
        return w;
    }
}
