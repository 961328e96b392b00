package io.erosengine.runtime;

import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Test data for the engine tests (the chat model, embedder and clock come from engine-testkit). */
final class Fakes {
    private Fakes() {}

    static Persona persona(String name) {
        return new Persona(PersonaId.random(), name, "You are " + name + ", a friendly companion.", 27, "ENFP",
                "Grew up by the sea.", "short and playful", List.of("hums"), List.of("music"), ZoneId.of("UTC"), "en",
                GiftPersonality.TSUNDERE, "Hi, I'm " + name + "!", null, null, Map.of());
    }
}
