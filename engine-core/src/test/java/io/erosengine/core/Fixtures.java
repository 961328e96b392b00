package io.erosengine.core;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.memory.Attribution;
import io.erosengine.core.memory.MemoryCategory;
import io.erosengine.core.memory.MemoryItem;
import io.erosengine.core.model.GiftPersonality;
import io.erosengine.core.model.InstanceId;
import io.erosengine.core.model.MemoryId;
import io.erosengine.core.model.Persona;
import io.erosengine.core.model.PersonaId;
import io.erosengine.core.model.UserId;
import io.erosengine.core.pde.TurnSignals;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Shared test values for engine-core tests (deterministic ids and times). */
public final class Fixtures {
    private Fixtures() {}

    /** A fixed instant used as "now" in tests. */
    public static final Instant NOW = Instant.parse("2025-03-04T13:05:00Z");
    public static final UserId USER = new UserId(UUID.fromString("00000000-0000-0000-0000-000000000001"));
    public static final InstanceId INSTANCE = new InstanceId(UUID.fromString("00000000-0000-0000-0000-000000000002"));

    /** A persona named Mika with the given gift personality. */
    public static Persona persona(GiftPersonality giftPersonality) {
        return new Persona(new PersonaId(UUID.fromString("00000000-0000-0000-0000-0000000000aa")), "Mika",
                "You are Mika, a barista who paints at night.", 27, "INFP", "Grew up by the sea.",
                "Short, playful sentences.", List.of("hums while thinking"), List.of("art", "coffee"),
                ZoneId.of("Europe/Berlin"), "en", giftPersonality, "Hey you.", null, null, Map.of());
    }

    public static Persona persona() { return persona(GiftPersonality.WARM); }

    /** A state with every axis given, in axis order. */
    public static AffinityState state(double warmth, double trust, double intrigue, double intimacy,
                                      double patience, double tension) {
        return new AffinityState(warmth, trust, intrigue, intimacy, patience, tension);
    }

    /** Signals with no previous message and no ghosts. */
    public static TurnSignals signals(int userMessages) {
        return new TurnSignals(userMessages, Optional.empty(), 0, 0, Optional.empty());
    }

    /** A profile memory with a deterministic id. */
    public static MemoryItem memory(int n, String content, int importance, boolean pinned, Instant observedAt) {
        return new MemoryItem(new MemoryId(new UUID(0, n)), USER, null, null, List.of(), content, MemoryCategory.FACT,
                importance, Attribution.USER, "test-model", observedAt, NOW.minus(Duration.ofDays(400)),
                NOW.minus(Duration.ofDays(400)), null, 0, 1, pinned, null);
    }
}
