package io.erosengine.store.contract;

import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCandidate;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryScope;
import io.erosengine.core.memory.NewMemory;
import io.erosengine.core.model.ChatSession;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.PersonaInstance;
import io.erosengine.core.model.UserId;
import io.erosengine.core.port.EngineStores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builders shared by the contract suites. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final int DIM = 512;
    static final String MODEL = "test-embed-512";

    private Fixtures() {}

    static Persona persona(String name) {
        return new Persona(PersonaId.random(), name, "You are " + name + ".", 27, "ENFP", "Grew up by the sea.",
                "playful", List.of("hums"), List.of("music"), java.time.ZoneId.of("Europe/Paris"), "en", null,
                "Hi!", null, null, Map.of("theme", "sunset", "levels", List.of(1, 2, 3)));
    }

    /** A user with an instance of a fresh persona and one session. */
    record UserWorld(UserId user, PersonaInstance instance, ChatSession session) {}

    static UserWorld world(EngineStores stores, String personaName) {
        Persona p = stores.personas().upsert(persona(personaName));
        UserId user = UserId.random();
        PersonaInstance instance = stores.conversations().instanceFor(user, p.id(), T0);
        ChatSession session = stores.conversations().startSession(user, instance.id(), false, T0);
        return new UserWorld(user, instance, session);
    }

    /** A deterministic random unit vector. */
    static float[] unit(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIM];
        double n = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) r.nextGaussian();
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < DIM; i++) v[i] *= inv;
        return v;
    }

    /** {@code base} moved slightly toward {@code noiseSeed}'s direction: similarity ~ 1 - eps. */
    static float[] near(float[] base, long noiseSeed, double eps) {
        float[] noise = unit(noiseSeed);
        float[] v = new float[DIM];
        double n = 0;
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) (base[i] + eps * noise[i]);
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < DIM; i++) v[i] *= inv;
        return v;
    }

    static NewMemory memory(MemoryScope scope, String content, float[] embedding) {
        MemoryCategory category = scope.instanceId() == null ? MemoryCategory.FACT : MemoryCategory.SHARED_EXPERIENCE;
        return new NewMemory(scope, null, List.of(), new MemoryCandidate(category, content, 5, Attribution.USER),
                T0, embedding, MODEL);
    }
}
