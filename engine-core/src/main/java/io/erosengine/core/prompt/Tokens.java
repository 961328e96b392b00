package io.erosengine.core.prompt;

/** Token estimation without a tokenizer. */
public final class Tokens {
    private Tokens() {}

    /**
     * Estimates the tokens of {@code text}: {@code ceil(asciiChars / 4) + nonAsciiCodePoints}. Four
     * ASCII characters per token is the usual rule of thumb for English with BPE tokenizers; every
     * other code point (accents, CJK, emoji) counts as a whole token, which leans high for accented
     * Latin text and is about right for CJK. An upper-leaning estimate, so budgets hold in practice.
     * Monotonic: appending text never lowers the estimate.
     *
     * @return 0 for null or empty text, else >= 1
     */
    public static int estimate(String text) {
        if (text == null || text.isEmpty()) return 0;
        long ascii = 0;
        long other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 0x80) ascii++; else other++;
            i += Character.charCount(cp);
        }
        return (int) Math.min(Integer.MAX_VALUE, (ascii + 3) / 4 + other);
    }
}
