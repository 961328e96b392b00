package io.erosengine.runtime;

import java.time.Duration;
import java.util.Map;

/**
 * Timings and counts the engine reports, for a metrics bridge (the HTTP layer maps them to
 * Micrometer). Every method has a no-op default; implementations must be thread-safe and fast,
 * since they run on the turn's thread.
 */
public interface EngineMetrics {

    /** Reports nothing. */
    EngineMetrics NONE = new EngineMetrics() {};

    /**
     * A synchronous turn ended.
     *
     * @param action {@code reply}, {@code ghost}, {@code gift_reaction}, {@code replay} (answered from
     *               the database) or {@code error} (the model failed after the stream began)
     * @param total the whole turn, model time included
     */
    default void turn(String action, Duration total) {}

    /**
     * A chat model call of a turn ended (complete or a whole stream).
     *
     * @param ok false when the model failed
     */
    default void chatModel(Duration took, boolean ok) {}

    /** Both memory layers were retrieved (embedding of the query excluded). */
    default void retrieval(Duration took) {}

    /**
     * An embedding call ended.
     *
     * @param documents true for a document batch (post-process), false for a query (turn)
     * @param ok false when the embedder failed
     */
    default void embedding(boolean documents, Duration took, boolean ok) {}

    /**
     * A post-process job finished.
     *
     * @param lag from the job becoming due (run_after: when it was enqueued, unless it was
     *            scheduled for later) to its completion
     */
    default void jobDone(String type, Duration lag, Duration took) {}

    /**
     * A post-process job attempt failed.
     *
     * @param dead true when it will not be retried any more
     */
    default void jobFailed(String type, boolean dead) {}

    /**
     * The queue's depth, polled from the store every few seconds by an engine that was started:
     * job type -> status ({@code queued} = due and waiting, {@code running}, {@code dead}) -> jobs.
     * A type or status missing from the map has no job.
     */
    default void jobDepth(Map<String, Map<String, Long>> depth) {}

    /**
     * The post-process calls now in flight to one provider changed.
     *
     * @param provider {@code chat} (extraction and judge), {@code embedding}, or
     *                 {@code embedding_in_process} (an in-process embedder, bounded by the cores)
     */
    default void providerCallsInFlight(String provider, int inFlight) {}

    /** A coalesced extraction stored {@code exchanges} exchanges of one user x instance with one model call. */
    default void extractionBatch(int exchanges) {}
}
