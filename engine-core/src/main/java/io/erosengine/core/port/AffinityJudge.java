package io.erosengine.core.port;

import io.erosengine.core.affinity.AffinityDelta;
import io.erosengine.core.affinity.AffinityState;
import java.util.Optional;

/**
 * The optional LLM judge of an exchange's effect on affinity (task {@code affinity_evaluation}).
 * Returns empty when the judge's output was malformed (logged by the implementation, never thrown).
 */
public interface AffinityJudge {

    /** A verdict: pushes per axis (to be clamped to the policy's judge range) and a one-line reason. */
    record Verdict(AffinityDelta pushes, String reason) {}

    Optional<Verdict> judge(ExtractionInput input, AffinityState current);
}
