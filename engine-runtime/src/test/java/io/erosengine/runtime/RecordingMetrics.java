package io.erosengine.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the engine reports. */
final class RecordingMetrics implements EngineMetrics {
    final AtomicInteger failedEmbeddings = new AtomicInteger();
    final AtomicInteger failedJobs = new AtomicInteger();
    final AtomicInteger doneJobs = new AtomicInteger();
    final java.util.List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void embedding(boolean documents, Duration took, boolean ok) {
        if (!ok) failedEmbeddings.incrementAndGet();
    }

    @Override public void jobDone(String type, Duration lag, Duration took) { doneJobs.incrementAndGet(); }

    @Override public void jobFailed(String type, boolean dead) { failedJobs.incrementAndGet(); }

    @Override public void extractionBatch(int exchanges) { batches.add(exchanges); }
}
