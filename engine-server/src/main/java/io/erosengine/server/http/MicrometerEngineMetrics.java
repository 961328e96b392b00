package io.erosengine.server.http;

import io.erosengine.runtime.EngineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Bridges the engine's timings to Micrometer: {@code engine.turn} (by action),
 * {@code engine.turn.model} (by outcome), {@code engine.retrieval}, {@code engine.embedding} (by kind and
 * outcome), {@code engine.job.lag} and {@code engine.job.duration} (by type) and
 * {@code engine.job.failures} (by type and whether the job is dead). Thread-safe.
 */
public final class MicrometerEngineMetrics implements EngineMetrics {
    private final MeterRegistry registry;

    /** Records into {@code registry} (for example {@link EngineHttpServer#meterRegistry()}). */
    public MicrometerEngineMetrics(MeterRegistry registry) { this.registry = Objects.requireNonNull(registry, "registry"); }

    @Override public void turn(String action, Duration total) {
        Timer.builder("engine.turn").description("A chat turn, model time included").tag("action", action).register(registry).record(total);
    }

    @Override public void chatModel(Duration took, boolean ok) {
        Timer.builder("engine.turn.model").description("The chat model's own time in a turn (a whole stream)")
                .tag("outcome", ok ? "ok" : "error").register(registry).record(took);
    }

    @Override public void retrieval(Duration took) {
        Timer.builder("engine.retrieval").description("Both memory layers retrieved").register(registry).record(took);
    }

    @Override public void embedding(boolean documents, Duration took, boolean ok) {
        Timer.builder("engine.embedding").description("An embedding call").tag("kind", documents ? "documents" : "query")
                .tag("outcome", ok ? "ok" : "error").register(registry).record(took);
    }

    @Override public void jobDone(String type, Duration lag, Duration took) {
        Timer.builder("engine.job.lag").description("From a job becoming due to its completion").tag("type", type)
                .register(registry).record(lag);
        Timer.builder("engine.job.duration").description("A post-process job's run time").tag("type", type)
                .register(registry).record(took);
    }

    @Override public void jobFailed(String type, boolean dead) {
        Counter.builder("engine.job.failures").description("Failed post-process job attempts").tag("type", type)
                .tag("dead", Boolean.toString(dead)).register(registry).increment();
    }
}
