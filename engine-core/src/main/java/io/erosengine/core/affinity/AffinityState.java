package io.erosengine.core.affinity;

import io.erosengine.core.model.Checks;

/**
 * The relationship's affinity: six axes, each in [0, 1] (validated, so an out-of-range state
 * cannot exist).
 */
public record AffinityState(double warmth, double trust, double intrigue, double intimacy,
                            double patience, double tension) implements AxisValues {

    /** The state of a new relationship (DOMAIN.md). */
    public static final AffinityState INITIAL = new AffinityState(0.30, 0.20, 0.50, 0.00, 0.50, 0.10);

    public AffinityState {
        Checks.requireRange(warmth, 0, 1, "warmth");
        Checks.requireRange(trust, 0, 1, "trust");
        Checks.requireRange(intrigue, 0, 1, "intrigue");
        Checks.requireRange(intimacy, 0, 1, "intimacy");
        Checks.requireRange(patience, 0, 1, "patience");
        Checks.requireRange(tension, 0, 1, "tension");
    }

    /** Builds a state from a per-axis function (values must lie in [0, 1]). */
    public static AffinityState of(java.util.function.ToDoubleFunction<Axis> valueOf) {
        return new AffinityState(valueOf.applyAsDouble(Axis.WARMTH), valueOf.applyAsDouble(Axis.TRUST),
                valueOf.applyAsDouble(Axis.INTRIGUE), valueOf.applyAsDouble(Axis.INTIMACY),
                valueOf.applyAsDouble(Axis.PATIENCE), valueOf.applyAsDouble(Axis.TENSION));
    }
}
