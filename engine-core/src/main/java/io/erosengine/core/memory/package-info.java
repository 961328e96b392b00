/**
 * Relationship-shaped memory: the two layers, text normalization for exact dedup, the
 * merge-or-insert decision, retrieval ranking and the deterministic fallback extraction.
 */
package io.erosengine.core.memory;
