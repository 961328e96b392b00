package io.erosengine.core.model;

import io.erosengine.core.text.TextPolicy;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A persona's "genome": who the companion is. Loaded from files by the seed command and upserted
 * by {@code name}. {@code extensions} holds free-form JSON-like data (maps, lists, strings, numbers,
 * booleans) that the engine keeps intact but does not interpret.
 *
 * @param modelOverride the chat model to use for this persona instead of the task's, or null
 */
public record Persona(
        PersonaId id,
        String name,
        String systemPrompt,
        Integer age,
        String mbti,
        String backstory,
        String speechStyle,
        List<String> quirks,
        List<String> topics,
        ZoneId timezone,
        String language,
        GiftPersonality giftPersonality,
        String greeting,
        String avatarUrl,
        String modelOverride,
        Map<String, Object> extensions) {

    /** The longest persona name. */
    public static final int NAME_CHARS = 100;
    /** The longest system prompt, backstory or greeting. */
    public static final int LONG_TEXT_CHARS = 20_000;
    /** The longest short field (mbti, speech style, language, avatar URL, model, one quirk or topic). */
    public static final int SHORT_TEXT_CHARS = 1_000;
    /** The most quirks or topics. */
    public static final int MAX_LIST_ITEMS = 50;

    /**
     * Validates every field through the {@link io.erosengine.core.text.TextPolicy} (texts trimmed,
     * no NUL or unpaired surrogate anywhere, extensions included, every text within its limit).
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public Persona {
        Checks.required(id, "persona id");
        name = TextPolicy.require("persona name", name, NAME_CHARS);
        systemPrompt = TextPolicy.require("persona system_prompt", systemPrompt, LONG_TEXT_CHARS);
        if (age != null) Checks.requireRange(age, 0, 10_000, "persona age");
        mbti = TextPolicy.optional("persona mbti", mbti, SHORT_TEXT_CHARS);
        backstory = TextPolicy.optional("persona backstory", backstory, LONG_TEXT_CHARS);
        speechStyle = TextPolicy.optional("persona speech_style", speechStyle, SHORT_TEXT_CHARS);
        quirks = items("persona quirks", quirks);
        topics = items("persona topics", topics);
        greeting = TextPolicy.optional("persona greeting", greeting, LONG_TEXT_CHARS);
        avatarUrl = TextPolicy.optional("persona avatar_url", avatarUrl, SHORT_TEXT_CHARS);
        modelOverride = TextPolicy.optional("persona model", modelOverride, SHORT_TEXT_CHARS);
        language = TextPolicy.optional("persona language", language, SHORT_TEXT_CHARS);
        if (extensions != null) checkExtension("persona extensions", extensions);
        timezone = timezone == null ? ZoneId.of("UTC") : timezone;
        language = language == null || language.isBlank() ? "en" : language;
        giftPersonality = giftPersonality == null ? GiftPersonality.WARM : giftPersonality;
        extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
    }

    private static List<String> items(String field, List<String> items) {
        if (items == null) return List.of();
        if (items.size() > MAX_LIST_ITEMS) {
            throw new IllegalArgumentException(field + " holds " + items.size() + " items; at most " + MAX_LIST_ITEMS + " are allowed");
        }
        return items.stream().map(i -> TextPolicy.require(field, i, SHORT_TEXT_CHARS)).toList();
    }

    /** NUL and unpaired surrogates are refused in every string of the extensions tree (keys included). */
    private static void checkExtension(String field, Object value) {
        if (value instanceof String text) {
            TextPolicy.checkCharacters(field, text);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                checkExtension(field, String.valueOf(k));
                checkExtension(field, v);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> checkExtension(field, v));
        }
    }

    /** The persona-level chat model override, if any. */
    public Optional<String> chatModelOverride() {
        return modelOverride == null || modelOverride.isBlank() ? Optional.empty() : Optional.of(modelOverride);
    }

    /** A copy with another id (used when upserting by name keeps the stored id). */
    public Persona withId(PersonaId newId) {
        return new Persona(newId, name, systemPrompt, age, mbti, backstory, speechStyle, quirks, topics,
                timezone, language, giftPersonality, greeting, avatarUrl, modelOverride, extensions);
    }
}
