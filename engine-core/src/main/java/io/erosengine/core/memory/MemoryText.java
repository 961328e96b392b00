package io.erosengine.core.memory;

import java.text.Normalizer;
import java.util.Locale;

/** Text normalization for exact duplicate detection of memories. */
public final class MemoryText {
    private MemoryText() {}

    /**
     * Unicode NFKC, lower case, every run of whitespace to one space, trailing and leading
     * punctuation and spaces removed: "I love  Pizza!" and "i love pizza" normalize alike.
     */
    public static String normalize(String content) {
        String text = Normalizer.normalize(content, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        text = text.replaceAll("\\s+", " ");
        return text.replaceAll("^[\\p{Punct}\\p{IsPunctuation} ]+|[\\p{Punct}\\p{IsPunctuation} ]+$", "");
    }
}
