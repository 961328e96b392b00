package io.erosengine.core.affinity;

import java.util.EnumMap;
import java.util.Map;

/**
 * Signed pushes per axis (absent = 0). Pushes set the EMA's target, {@code clamp01(v + d)}; they are
 * not added to the state directly.
 */
public record AffinityDelta(double warmth, double trust, double intrigue, double intimacy,
                            double patience, double tension) implements AxisValues {

    /** No push on any axis. */
    public static final AffinityDelta ZERO = new AffinityDelta(0, 0, 0, 0, 0, 0);

    public AffinityDelta {
        for (double d : new double[] {warmth, trust, intrigue, intimacy, patience, tension}) {
            if (!Double.isFinite(d)) throw new IllegalArgumentException("affinity push must be finite, got " + d);
        }
    }

    /** Builds a delta from a per-axis function. */
    public static AffinityDelta of(java.util.function.ToDoubleFunction<Axis> pushOf) {
        return new AffinityDelta(pushOf.applyAsDouble(Axis.WARMTH), pushOf.applyAsDouble(Axis.TRUST),
                pushOf.applyAsDouble(Axis.INTRIGUE), pushOf.applyAsDouble(Axis.INTIMACY),
                pushOf.applyAsDouble(Axis.PATIENCE), pushOf.applyAsDouble(Axis.TENSION));
    }

    /** A delta with one axis set, others 0. */
    public static AffinityDelta of(Axis axis, double push) {
        return of(a -> a == axis ? push : 0);
    }

    /** Builds a delta from a map (missing axes = 0). */
    public static AffinityDelta of(Map<Axis, Double> pushes) {
        return of(a -> pushes.getOrDefault(a, 0.0));
    }

    /** Sum per axis. */
    public AffinityDelta plus(AffinityDelta other) {
        return of(a -> get(a) + other.get(a));
    }

    /** Multiplies each push by {@code factor}. */
    public AffinityDelta scaled(double factor) {
        return of(a -> get(a) * factor);
    }

    /** Each push limited to [-cap, +cap]. */
    public AffinityDelta capped(double cap) {
        return clamped(-cap, cap);
    }

    /** Each push limited to [min, max]. */
    public AffinityDelta clamped(double min, double max) {
        return of(a -> Math.max(min, Math.min(max, get(a))));
    }

    /** True when every push is 0. */
    public boolean isZero() { return equals(ZERO); }

    /** The non-zero pushes, by axis, in axis order. */
    public Map<Axis, Double> nonZero() {
        Map<Axis, Double> out = new EnumMap<>(Axis.class);
        for (Axis a : Axis.values()) if (get(a) != 0) out.put(a, get(a));
        return out;
    }
}
