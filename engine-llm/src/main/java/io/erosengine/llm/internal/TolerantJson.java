package io.erosengine.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Finds the JSON object in a model's reply even when the model wrapped it in prose or a Markdown
 * code fence: the whole text first, then every balanced {@code {...}} span (strings and escapes
 * respected) from left to right; the first that parses as an object wins. Stateless.
 */
public final class TolerantJson {
    private TolerantJson() {}

    /** The first JSON object in {@code text}, or empty when there is none. */
    public static Optional<JsonNode> firstObject(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        Optional<JsonNode> whole = Json.tryParse(text.strip());
        if (whole.isPresent() && whole.get().isObject()) return whole;
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int end = matchingBrace(text, start);
            if (end < 0) continue;
            Optional<JsonNode> candidate = Json.tryParse(text.substring(start, end + 1));
            if (candidate.isPresent() && candidate.get().isObject()) return candidate;
        }
        return Optional.empty();
    }

    private static int matchingBrace(String text, int start) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
