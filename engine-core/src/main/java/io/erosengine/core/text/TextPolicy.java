package io.erosengine.core.text;

/**
 * The one rule for every text the engine accepts from outside (messages, client ids, gift labels,
 * memory edits, search queries, persona fields), so the in-memory and the Postgres store always
 * agree on what can be stored:
 * <ul>
 *   <li>U+0000 is refused (Postgres text cannot hold it), and so is a UTF-16 surrogate without its
 *       pair (it is not a character; Postgres would store it as {@code ?}). Nothing is rewritten
 *       silently.</li>
 *   <li>"Blank" means blank to a reader: a text made only of Unicode white space (including the
 *       no-break spaces U+00A0, U+2007, U+202F) and invisible format characters (category Cf:
 *       zero-width space U+200B, joiners, U+FEFF, U+2060, bidi controls) is blank. Such characters
 *       are trimmed from both ends; inside a text they are kept.</li>
 *   <li>Every field has a length limit, counted in UTF-16 chars after trimming.</li>
 * </ul>
 * Pure and thread-safe.
 */
public final class TextPolicy {
    private TextPolicy() {}

    /**
     * A required text: trimmed, non-blank, at most {@code maxChars}.
     *
     * @param field the field's name, used in the error message
     * @throws InvalidTextException naming the field and the reason
     */
    public static String require(String field, String text, int maxChars) {
        String out = optional(field, text, maxChars);
        if (out == null) throw new InvalidTextException(field, InvalidTextException.Reason.BLANK, 0, field + " must not be blank");
        return out;
    }

    /**
     * An optional text: null when absent or blank, else trimmed and checked like {@link #require}.
     *
     * @throws InvalidTextException naming the field and the reason
     */
    public static String optional(String field, String text, int maxChars) {
        if (text == null) return null;
        checkCharacters(field, text);
        String trimmed = trim(text);
        if (trimmed.isEmpty()) return null;
        if (trimmed.length() > maxChars) {
            throw new InvalidTextException(field, InvalidTextException.Reason.TOO_LONG, trimmed.length(),
                    field + " is " + trimmed.length() + " characters after trimming; at most " + maxChars + " are allowed");
        }
        return trimmed;
    }

    /**
     * Checks only the characters (no NUL, no unpaired surrogate), for texts that are stored exactly
     * as given, such as map keys and values.
     *
     * @throws InvalidTextException naming the field and the reason
     */
    public static void checkCharacters(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                throw new InvalidTextException(field, InvalidTextException.Reason.NUL, text.length(),
                        field + " must not contain the NUL character (U+0000)");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidTextException(field, InvalidTextException.Reason.UNPAIRED_SURROGATE, text.length(),
                        field + " holds an unpaired UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                                + " at index " + i + "), which is not a character");
            }
        }
    }

    /** True when the text has nothing a reader would see (null, empty, white space and format characters only). */
    public static boolean isBlankToReader(String text) {
        return text == null || trim(text).isEmpty();
    }

    /** The text without the white space and format characters at either end. */
    public static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && invisible(text.codePointAt(start))) start += Character.charCount(text.codePointAt(start));
        while (end > start && invisible(text.codePointBefore(end))) end -= Character.charCount(text.codePointBefore(end));
        return text.substring(start, end);
    }

    private static boolean invisible(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.getType(cp) == Character.FORMAT
                || Character.isISOControl(cp);
    }
}
