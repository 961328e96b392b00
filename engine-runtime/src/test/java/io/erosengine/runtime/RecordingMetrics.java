package io.erosengine.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the engine reports. */
final class RecordingMetrics implements EngineMetrics {
    final AtomicInteger failedEmbeddings = new AtomicInteger();
    final AtomicInteger failedJobs = new AtomicInteger();
    final AtomicInteger doneJobs = new AtomicInteger();

    @Override
    public void embedding(boolean documents, Duration took, boolean ok) {
        if (!ok) failedEmbeddings.incrementAndGet();
    }

    @Override public void jobDone(String type, Duration lag, Duration took) { doneJobs.incrementAndGet(); }

    @Override public void jobFailed(String type, boolean dead) { failedJobs.incrementAndGet(); }
}
