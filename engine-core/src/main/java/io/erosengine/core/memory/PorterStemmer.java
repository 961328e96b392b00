package io.erosengine.core.memory;

/**
 * The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), steps 1a to 5b as
 * published, for lower-case words of the letters a to z; any other word is returned as it is.
 * Stateless and thread-safe.
 */
final class PorterStemmer {
    private PorterStemmer() {}

    /** The stem of {@code word}; words of up to two letters and words with other characters unchanged. */
    static String stem(String word) {
        if (word.length() <= 2 || !word.chars().allMatch(c -> c >= 'a' && c <= 'z')) return word;
        StringBuilder w = new StringBuilder(word);
        step1a(w);
        step1b(w);
        step1c(w);
        step2(w);
        step3(w);
        step4(w);
        step5(w);
        return w.toString();
    }

    private static boolean consonant(CharSequence w, int i) {
        char c = w.charAt(i);
        if ("aeiou".indexOf(c) >= 0) return false;
        if (c == 'y') return i == 0 || !consonant(w, i - 1);
        return true;
    }

    /** m: the number of vowel-consonant sequences in {@code w[0, end)}. */
    private static int measure(CharSequence w, int end) {
        int m = 0;
        int i = 0;
        while (i < end && consonant(w, i)) i++;
        while (i < end) {
            while (i < end && !consonant(w, i)) i++;
            if (i >= end) break;
            while (i < end && consonant(w, i)) i++;
            m++;
        }
        return m;
    }

    private static boolean hasVowel(CharSequence w, int end) {
        for (int i = 0; i < end; i++) if (!consonant(w, i)) return true;
        return false;
    }

    private static boolean doubleConsonant(CharSequence w, int end) {
        return end >= 2 && w.charAt(end - 1) == w.charAt(end - 2) && consonant(w, end - 1);
    }

    /** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
    private static boolean cvc(CharSequence w, int end) {
        if (end < 3 || !consonant(w, end - 1) || consonant(w, end - 2) || !consonant(w, end - 3)) return false;
        char c = w.charAt(end - 1);
        return c != 'w' && c != 'x' && c != 'y';
    }

    private static boolean ends(StringBuilder w, String suffix) {
        return w.length() >= suffix.length() && w.lastIndexOf(suffix) == w.length() - suffix.length();
    }

    /** Replaces {@code suffix} by {@code replacement} when the stem before it has m > {@code minMeasure}. */
    private static boolean replace(StringBuilder w, String suffix, String replacement, int minMeasure) {
        if (!ends(w, suffix)) return false;
        int stem = w.length() - suffix.length();
        if (measure(w, stem) > minMeasure) w.replace(stem, w.length(), replacement);
        return true;
    }

    private static void step1a(StringBuilder w) {
        if (ends(w, "sses") || ends(w, "ies")) w.setLength(w.length() - 2);
        else if (!ends(w, "ss") && ends(w, "s")) w.setLength(w.length() - 1);
    }

    private static void step1b(StringBuilder w) {
        if (ends(w, "eed")) {
            if (measure(w, w.length() - 3) > 0) w.setLength(w.length() - 1);
            return;
        }
        int cut = ends(w, "ed") ? 2 : ends(w, "ing") ? 3 : 0;
        if (cut == 0 || !hasVowel(w, w.length() - cut)) return;
        w.setLength(w.length() - cut);
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) {
            w.append('e');
        } else if (doubleConsonant(w, w.length()) && "lsz".indexOf(w.charAt(w.length() - 1)) < 0) {
            w.setLength(w.length() - 1);
        } else if (measure(w, w.length()) == 1 && cvc(w, w.length())) {
            w.append('e');
        }
    }

    private static void step1c(StringBuilder w) {
        if (ends(w, "y") && hasVowel(w, w.length() - 1)) w.setCharAt(w.length() - 1, 'i');
    }

    private static final String[][] STEP2 = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
            {"abli", "able"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
            {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
            {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}};

    private static final String[][] STEP3 = {
            {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""}};

    private static final String[] STEP4 = {
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism",
            "ate", "iti", "ous", "ive", "ize"};

    private static void step2(StringBuilder w) {
        for (String[] rule : STEP2) if (replace(w, rule[0], rule[1], 0)) return;
    }

    private static void step3(StringBuilder w) {
        for (String[] rule : STEP3) if (replace(w, rule[0], rule[1], 0)) return;
    }

    private static void step4(StringBuilder w) {
        String best = null;
        for (String suffix : STEP4) if (ends(w, suffix) && (best == null || suffix.length() > best.length())) best = suffix;
        if (best == null) return;
        int stem = w.length() - best.length();
        if (measure(w, stem) <= 1) return;
        if (best.equals("ion") && (stem == 0 || "st".indexOf(w.charAt(stem - 1)) < 0)) return;
        w.setLength(stem);
    }

    private static void step5(StringBuilder w) {
        if (ends(w, "e")) {
            int m = measure(w, w.length() - 1);
            if (m > 1 || (m == 1 && !cvc(w, w.length() - 1))) w.setLength(w.length() - 1);
        }
        if (ends(w, "ll") && measure(w, w.length()) > 1) w.setLength(w.length() - 1);
    }
}
