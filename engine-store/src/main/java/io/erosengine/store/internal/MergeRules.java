package io.erosengine.store.internal;

import io.erosengine.core.memory.MemoryPolicy;
import io.erosengine.core.model.MessageId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The parts of merge-or-insert both stores share: the merge decision comes from engine-core's
 * {@link MemoryPolicy}; this class builds the policy for a threshold and merges source lists.
 * Public only so both store packages can use it; not API.
 */
public final class MergeRules {
    private MergeRules() {}

    /** The default policy with {@code mergeThreshold} (a cosine similarity in [-1, 1]). */
    public static MemoryPolicy policy(double mergeThreshold) {
        if (!(mergeThreshold >= -1 && mergeThreshold <= 1)) {
            throw new IllegalArgumentException("merge threshold must be in [-1, 1], got " + mergeThreshold);
        }
        MemoryPolicy d = MemoryPolicy.DEFAULTS;
        return new MemoryPolicy(mergeThreshold, d.profileK(), d.relationshipK(), d.minSimilarity(),
                d.candidateFactor(), d.importanceBoostPerPoint(), d.recencyBoostMax(), d.recencyHalfLife());
    }

    /** {@code existing} followed by the new ids it does not already hold, in order. */
    public static List<MessageId> appendSources(List<MessageId> existing, List<MessageId> added) {
        LinkedHashSet<MessageId> all = new LinkedHashSet<>(existing);
        all.addAll(added);
        return new ArrayList<>(all);
    }

    /** Validates a search limit (1..1000). */
    public static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) throw new IllegalArgumentException("limit must be in [1, 1000], got " + limit);
    }
}
