package io.erosengine.runtime.internal.turn;

import io.erosengine.core.model.MessageId;

import java.time.Duration;

/** The "typing" delay a client shows before a reply: deterministic per message, in [800 ms, 2500 ms). */
public final class TypingDelay {
    private TypingDelay() {}

    /** A 64-bit mix of the message's UUID mapped onto [800, 2500) ms. */
    public static Duration of(MessageId id) {
        long h = id.value().getMostSignificantBits() ^ Long.rotateLeft(id.value().getLeastSignificantBits(), 29);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return Duration.ofMillis(800 + Math.floorMod(h, 1700L));
    }
}
