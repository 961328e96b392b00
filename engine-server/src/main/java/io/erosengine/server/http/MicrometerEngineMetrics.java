package io.erosengine.server.http;

import io.erosengine.runtime.EngineMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridges the engine's timings to Micrometer: {@code engine.turn} (by action),
 * {@code engine.turn.model} (by outcome), {@code engine.retrieval}, {@code engine.embedding} (by kind and
 * outcome), {@code engine.job.lag} (a histogram, Prometheus {@code engine_job_lag_seconds_bucket}) and
 * {@code engine.job.duration} (by type), {@code engine.job.failures} (by type and whether the job is
 * dead), the gauges {@code engine.jobs} (queue depth by type and status: queued = due and waiting,
 * running, dead) and {@code engine.provider.in_flight} (post-process calls by provider), and
 * {@code engine.extraction.batch} (exchanges per coalesced extraction). Thread-safe.
 */
public final class MicrometerEngineMetrics implements EngineMetrics {
    private static final List<String> DEPTH_STATUSES = List.of("queued", "running", "dead");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

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
        Timer.builder("engine.job.lag").description("From a job becoming due (enqueued) to its completion").tag("type", type)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry).record(lag);
        Timer.builder("engine.job.duration").description("A post-process job's run time").tag("type", type)
                .register(registry).record(took);
    }

    @Override public void jobFailed(String type, boolean dead) {
        Counter.builder("engine.job.failures").description("Failed post-process job attempts").tag("type", type)
                .tag("dead", Boolean.toString(dead)).register(registry).increment();
    }

    @Override public void jobDepth(Map<String, Map<String, Long>> byType) {
        for (String type : byType.keySet()) {
            for (String status : DEPTH_STATUSES) depthGauge(type, status);
        }
        depth.forEach((key, value) -> {
            int slash = key.indexOf('/');
            Map<String, Long> counts = byType.getOrDefault(key.substring(0, slash), Map.of());
            value.set(counts.getOrDefault(key.substring(slash + 1), 0L));
        });
    }

    private void depthGauge(String type, String status) {
        depth.computeIfAbsent(type + "/" + status, k -> {
            AtomicLong n = new AtomicLong();
            Gauge.builder("engine.jobs", n, AtomicLong::get).description("Post-process jobs by type and status (queued: due and waiting)")
                    .tag("type", type).tag("status", status).register(registry);
            return n;
        });
    }

    @Override public void providerCallsInFlight(String provider, int calls) {
        inFlight.computeIfAbsent(provider, p -> {
            AtomicInteger n = new AtomicInteger();
            Gauge.builder("engine.provider.in_flight", n, AtomicInteger::get).description("Post-process provider calls in flight")
                    .tag("provider", p).register(registry);
            return n;
        }).set(calls);
    }

    @Override public void extractionBatch(int exchanges) {
        DistributionSummary.builder("engine.extraction.batch").description("Exchanges extracted by one coalesced model call")
                .publishPercentileHistogram().minimumExpectedValue(1.0).maximumExpectedValue(16.0)
                .register(registry).record(exchanges);
    }
}
