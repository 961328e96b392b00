package io.erosengine.runtime;

import io.erosengine.core.affinity.AffinityState;
import io.erosengine.core.affinity.RelationshipLabel;

import java.time.Instant;

/**
 * A relationship's affinity as of now: the six axes with lazy decay applied, the label and the
 * ghost counters.
 *
 * @param updatedAt when a change was last stored (a stored decay included), or null when it never changed
 */
public record AffinityView(AffinityState axes, RelationshipLabel label, int ghostStreak, int totalGhosts,
                           Instant updatedAt) {}
