package io.erosengine.core.affinity;

/** A number per affinity axis: the shared shape of {@link AffinityState} and {@link AffinityDelta}. */
public sealed interface AxisValues permits AffinityState, AffinityDelta {
    double warmth();

    double trust();

    double intrigue();

    double intimacy();

    double patience();

    double tension();

    /** The value of one axis. */
    default double get(Axis axis) {
        return switch (axis) {
            case WARMTH -> warmth();
            case TRUST -> trust();
            case INTRIGUE -> intrigue();
            case INTIMACY -> intimacy();
            case PATIENCE -> patience();
            case TENSION -> tension();
        };
    }
}
