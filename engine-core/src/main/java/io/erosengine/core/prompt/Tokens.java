package io.erosengine.core.prompt;

/** Token estimation without a tokenizer. */
public final class Tokens {
    private Tokens() {}

    /** TODO(core-logic): state the method (e.g. ceil(chars / 4), an upper-leaning estimate for English). */
    public static int estimate(String text) {
        throw new UnsupportedOperationException("TODO(core-logic)");
    }
}
