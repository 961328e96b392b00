package io.erosengine.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Validation helpers shared by the value records of the engine. */
public final class Checks {
    private Checks() {}

    /** Returns {@code text} if it is non-null and not blank, else throws IllegalArgumentException. */
    public static String requireText(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return text;
    }

    /** An immutable copy of {@code list}, or an empty list for null; rejects null elements. */
    public static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** An immutable copy of {@code map}, or an empty map for null. */
    public static <K, V> Map<K, V> mapOf(Map<K, V> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }

    /** Returns {@code value} if it lies in [min, max], else throws IllegalArgumentException. */
    public static double requireRange(double value, double min, double max, String what) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it lies in [min, max], else throws IllegalArgumentException. */
    public static int requireRange(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** Returns {@code d} if it is non-null and positive, else throws IllegalArgumentException. */
    public static java.time.Duration requirePositive(java.time.Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, got " + d);
        return d;
    }

    /** Null check with a message naming the value. */
    public static <T> T required(T value, String what) {
        return Objects.requireNonNull(value, what + " is required");
    }
}
