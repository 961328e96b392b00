package io.erosengine.core.model;

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

    public Persona {
        Checks.required(id, "persona id");
        Checks.requireText(name, "persona name");
        Checks.requireText(systemPrompt, "persona system_prompt");
        if (age != null) Checks.requireRange(age, 0, 10_000, "persona age");
        quirks = Checks.listOf(quirks);
        topics = Checks.listOf(topics);
        timezone = timezone == null ? ZoneId.of("UTC") : timezone;
        language = language == null || language.isBlank() ? "en" : language;
        giftPersonality = giftPersonality == null ? GiftPersonality.WARM : giftPersonality;
        extensions = extensions == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extensions));
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
