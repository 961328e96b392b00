package io.erosengine.core.ghost;

/**
 * The ghost decision with its reasons.
 *
 * @param score the ghost score on the decayed state
 * @param threshold the threshold that applied (NaN when a protection decided first)
 * @param reason which rule decided ("fewer than 10 user messages", "score 0.91 > 0.65", ...)
 */
public record GhostDecision(boolean ghost, double score, double threshold, String reason) {}
