package io.erosengine.core.text;

/**
 * A text refused by the {@link TextPolicy}, naming the field and why.
 */
public final class InvalidTextException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why a text was refused. */
    public enum Reason {
        /** Missing, empty, or only white space and invisible format characters. */
        BLANK,
        /** Holds U+0000, which Postgres text cannot store. */
        NUL,
        /** Holds a UTF-16 surrogate without its pair (not a Unicode character). */
        UNPAIRED_SURROGATE,
        /** Longer than the field's limit. */
        TOO_LONG
    }

    private final String field;
    private final Reason reason;
    private final int length;

    InvalidTextException(String field, Reason reason, int length, String message) {
        super(message);
        this.field = field;
        this.reason = reason;
        this.length = length;
    }

    /** The field's name as the caller knows it ({@code message}, {@code client_msg_id}, ...). */
    public String field() { return field; }

    public Reason reason() { return reason; }

    /** The text's length in UTF-16 chars after trimming (for {@link Reason#TOO_LONG}). */
    public int length() { return length; }
}
