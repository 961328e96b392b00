/**
 * Not API: the parts {@link io.erosengine.runtime.CompanionEngine} is built from. Public only so
 * the engine's own packages can share them; they may change in any release. {@code turn} holds the
 * synchronous chat turn, {@code jobs} the durable post-process; this package the pieces both use:
 * the validated collaborators ({@link io.erosengine.runtime.internal.EngineParts}), the one way
 * affinity is read and changed ({@link io.erosengine.runtime.internal.AffinityUpdates}), memory
 * retrieval ({@link io.erosengine.runtime.internal.MemoryRecall}) and the timing decorators of the
 * model ports.
 */
package io.erosengine.runtime.internal;
