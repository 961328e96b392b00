package io.erosengine.runtime.internal;

import java.time.Duration;
import java.util.function.Supplier;

/** Runs a call and reports how long it took and whether it returned normally. */
final class Timing {
    private Timing() {}

    /** Receives one call's time and outcome. */
    @FunctionalInterface
    interface Report {
        void took(Duration took, boolean ok);
    }

    static <T> T measure(Supplier<T> call, Report report) {
        long t0 = System.nanoTime();
        boolean ok = false;
        try {
            T out = call.get();
            ok = true;
            return out;
        } finally {
            report.took(Duration.ofNanos(System.nanoTime() - t0), ok);
        }
    }
}
