package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import io.erosengine.core.port.ExtractionInput;
import io.erosengine.core.port.MemoryExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic extraction used when no LLM is configured, as the original did: the user's turn
 * goes into the profile layer, the exchange into the relationship layer.
 * <ul>
 *   <li>the user's message (stripped) -> one {@link MemoryCategory#FACT}, attributed to the user;</li>
 *   <li>the exchange {@code "user: <message> / <persona name>: <reply>"} -> one
 *       {@link MemoryCategory#SHARED_EXPERIENCE}, attributed to the user (who began the exchange);
 *       only when both the message and the reply are non-blank, so a ghost turn yields the profile
 *       item alone.</li>
 * </ul>
 * Both get importance {@value #IMPORTANCE}, the neutral point of ranking (no judgement was made).
 * Each part is cut to {@value #MAX_PART_CHARS} characters (with an ellipsis) so one huge message
 * cannot make an unembeddable memory; the message itself is stored in full elsewhere. Blank input
 * yields nothing. Pure and thread-safe.
 */
public final class FallbackMemoryExtractor implements MemoryExtractor {
    /** The importance of every fallback memory (5 = neutral). */
    public static final int IMPORTANCE = 5;
    /** The longest message or reply text kept in a fallback memory, in UTF-16 chars. */
    public static final int MAX_PART_CHARS = 1000;

    @Override
    public List<MemoryCandidate> extract(ExtractionInput input) {
        Checks.required(input, "extraction input");
        String user = cut(input.userMessage().strip());
        String reply = cut(input.personaReply().strip());
        List<MemoryCandidate> out = new ArrayList<>(2);
        if (user.isEmpty()) return List.of();
        out.add(new MemoryCandidate(MemoryCategory.FACT, user, IMPORTANCE, Attribution.USER));
        if (!reply.isEmpty()) {
            out.add(new MemoryCandidate(MemoryCategory.SHARED_EXPERIENCE,
                    "user: " + user + " / " + input.persona().name() + ": " + reply, IMPORTANCE, Attribution.USER));
        }
        return List.copyOf(out);
    }

    private static String cut(String text) {
        if (text.length() <= MAX_PART_CHARS) return text;
        int end = MAX_PART_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--;
        return text.substring(0, end) + "…";
    }
}
