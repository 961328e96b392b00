package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;

/**
 * The idempotency key of an affinity event: what caused it ({@code "message:<id>"},
 * {@code "judge:<id>"}, ...). An instance holds at most one event per key, so a turn or a job that
 * runs again finds its effect already stored instead of applying it twice.
 *
 * @param value 1..200 characters
 */
public record EventKey(String value) {
    public EventKey {
        Checks.requireText(value, "event key");
        if (value.length() > 200) throw new IllegalArgumentException("event key must be at most 200 characters");
    }

    /** The key {@code kind + ":" + id}, e.g. {@code EventKey.of("message", messageId)}. */
    public static EventKey of(String kind, Object id) {
        Checks.requireText(kind, "event key kind");
        return new EventKey(kind + ":" + Checks.required(id, "event key id"));
    }

    @Override
    public String toString() { return value; }
}
