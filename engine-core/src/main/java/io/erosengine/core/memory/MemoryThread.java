package io.erosengine.core.memory;

import io.erosengine.core.model.Checks;
import java.time.Instant;
import java.util.Locale;

/**
 * An open thread: a promise (relationship layer) or an event (profile layer) the user mentioned,
 * open until it is marked done.
 *
 * @param doneAt when it was marked done; null while open
 */
public record MemoryThread(MemoryItem memory, Instant doneAt) {
    public MemoryThread {
        Checks.required(memory, "memory");
        if (!isThread(memory.category())) {
            throw new IllegalArgumentException("a " + memory.category().wireName() + " memory is not a thread");
        }
    }

    /** True for the categories that are threads: promise and event. */
    public static boolean isThread(MemoryCategory category) {
        return category == MemoryCategory.PROMISE || category == MemoryCategory.EVENT;
    }

    /** Open or done. */
    public Status status() { return doneAt == null ? Status.OPEN : Status.DONE; }

    /** A thread's status. */
    public enum Status {
        OPEN, DONE;

        /** The lower-case wire name. */
        public String wireName() { return name().toLowerCase(Locale.ROOT); }

        /** Parses a wire name; throws IllegalArgumentException when unknown. */
        public static Status parse(String text) {
            for (Status s : values()) if (s.wireName().equals(text)) return s;
            throw new IllegalArgumentException("status must be open or done, got " + text);
        }
    }
}
