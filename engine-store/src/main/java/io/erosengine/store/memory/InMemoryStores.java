package io.erosengine.store.memory;

import io.erosengine.core.port.EngineStores;
import java.time.Clock;

/**
 * The engine's stores in memory: the zero-config default and a fast store for library users' tests.
 * Every store of one {@link #create()} call shares one set of rows; all are thread-safe (each
 * operation is atomic under one lock) and pass the same contract tests as the Postgres store.
 *
 * <p>What it cannot match exactly:
 * <ul>
 *   <li>No durability: everything is lost when the JVM exits; a job "lease" only protects against
 *       other workers of the same JVM.</li>
 *   <li>Search uses fp32 cosine similarity; Postgres stores embeddings as halfvec (fp16), so
 *       similarities differ in about the third decimal and two nearly equal rows may rank in the
 *       other order. Top-k membership is otherwise the same (both are exact scans).</li>
 *   <li>No fixed embedding dimension: any length is accepted, but every row of a search must have
 *       the query's length (Postgres rejects a length other than the migrated dimension).</li>
 *   <li>Instants are truncated to microseconds and latencies to milliseconds, as in Postgres, but
 *       rows created in the same microsecond are ordered by insertion here and arbitrarily there.</li>
 *   <li>Job timestamps {@code created_at}/{@code updated_at} at enqueue come from the given clock
 *       (Postgres uses the database's {@code now()}).</li>
 *   <li>The export has the same tables and column names, but ids and instants are Java
 *       {@code toString()} forms rather than Postgres' JSON text forms.</li>
 *   <li>One global lock: fine for a single server process with modest load, not built to scale.</li>
 * </ul>
 */
public final class InMemoryStores {
    private InMemoryStores() {}

    /** Empty stores; job enqueue times come from the system UTC clock. */
    public static EngineStores create() {
        return create(Clock.systemUTC());
    }

    /** Empty stores whose job enqueue times come from {@code clock}. */
    public static EngineStores create(Clock clock) {
        Data data = new Data(java.util.Objects.requireNonNull(clock, "clock"));
        MemJobQueue jobs = new MemJobQueue(data);
        MemConversationStore conversations = new MemConversationStore(data);
        MemAffinityStore affinity = new MemAffinityStore(data);
        MemMemoryStore memories = new MemMemoryStore(data);
        MemInsightStore insights = new MemInsightStore(data);
        return new EngineStores(new MemPersonaStore(data), conversations, affinity, memories, insights, jobs,
                new MemUserDataStore(data), new MemTurnStore(data, conversations, affinity, memories, jobs),
                new MemExtractionStore(data, jobs, memories, insights));
    }
}
