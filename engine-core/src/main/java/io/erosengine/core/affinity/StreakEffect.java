package io.erosengine.core.affinity;

/** What an affinity change does to the instance's ghost counters. */
public enum StreakEffect {
    /** Counters unchanged (the judge, a decay). */
    KEEP,
    /** One more ghost: streak and total + 1, last ghost = now. */
    GHOST,
    /** A reply was served: the streak goes back to 0. */
    RESET
}
